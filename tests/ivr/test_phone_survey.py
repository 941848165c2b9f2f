"""The survey by phone: whole questionnaires played through the walker, by keypad and by speech, with a hang-up
half-way and a second call that carries on by reference."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from service.extensions import db
from service.models import CallOutcome, PhoneRecording, PhoneResponse, PhoneResponseStatus
from service.questionnaires.definition import load_questionnaire
from tests.ivr.conftest import CALLER_NUMBER, LINE, menu_call, said
from tests.ivr.test_webhook_safety import post_signed


def survey_reference(text: str) -> str:
    match = re.search(r"Your survey reference number is ([\d ,]+?),? Again", text)
    assert match, text
    return re.sub(r"\D", "", match.group(1))


def phone_responses() -> list[PhoneResponse]:
    db.session.expire_all()
    return list(db.session.scalars(select(PhoneResponse).order_by(PhoneResponse.id)))


def start_survey(call) -> str:
    call.press("5")
    assert "You can answer the survey now, by phone. It has 17 questions" in said(call)
    call.press("1")
    text = said(call)
    assert "Press star to hear a question again, hash to skip it, and 0 to go back one question." in text
    assert "The six key areas." in text  # the first section's title, then its first question
    assert "Question 1a. Digital Infrastructure and Connectivity: how far do you agree" in text
    assert "For Strongly agree, press 1. For Agree, press 2." in text and "For Don't know, press 6." in text
    return survey_reference(text)


def test_a_whole_survey_by_keypad_and_speech_with_a_hang_up_and_a_second_call(ring, consultation):
    first = ring()
    reference = start_survey(first)
    (survey,) = phone_responses()
    assert survey.reference == reference and survey.status == PhoneResponseStatus.ANSWERING

    first.press("2")  # 1a: Agree
    assert first.said[0] == "Agree."
    assert "Question 1b. What should the city region do about Digital Infrastructure and Connectivity?" in said(first)
    first.silence()  # waits: the tone
    assert "Please say your answer after the tone." in said(first) and first.waiting_for == "Record"
    first.record(seconds=15, transcript="More fibre in Knowsley and free wifi in libraries")
    assert "Thank you." in said(first) and "Question 2a." in said(first)
    first.say("I strongly agree")  # 2a by speech
    assert first.said[0] == "Strongly agree." and "Question 2b." in said(first)
    first.press("#")  # 2b skipped
    assert first.said[0] == "Skipped." and "Question 3a." in said(first)
    first.press("*")  # hear 3a again
    assert "Question 3a." in said(first)
    first.press("0")  # back to 2b
    assert "Going back one question." in said(first) and "Question 2b." in said(first)
    first.press("1")  # answer it after all
    assert first.waiting_for == "Record"
    first.record(seconds=8, transcript="Use 5G for care homes")
    first.say("neither")  # 3a
    assert first.said[0] == "Neither agree nor disagree."
    first.hang_up()  # half-way, at 3b

    logged = menu_call(first)
    assert logged.outcome == CallOutcome.INCOMPLETE
    assert "after 5 of 17 questions" in logged.notes and "carry on with its reference" in logged.notes
    (survey,) = phone_responses()
    assert survey.status == PhoneResponseStatus.ANSWERING and survey.position == 5
    assert survey.answers == {"q1a_infrastructure_priority": "2", "q2a_tech_for_good_priority": "1",
                              "q3a_createch_priority": "3"}  # fmt: skip

    second = ring()
    second.press("5")
    second.press("2")
    assert "key in the 10-digit reference number" in said(second)
    second.press(reference[:-1] + str((int(reference[-1]) + 1) % 10))  # one digit wrong: the check digit catches it
    assert "that reference number is not right" in said(second)
    second.press(reference)
    assert "Welcome back. You have answered 5 of 17 questions." in said(second)
    assert "Question 3b." in said(second)
    second.press("#")  # 3b
    second.press("5")  # 4a: Strongly disagree
    second.silence()
    second.record(transcript="")  # 4b: spoken, but Twilio could not transcribe it
    second.say("don't know")  # 5a
    assert second.said[0] == "Don't know."
    second.press("#")  # 5b
    second.say("agree", confidence=0.3)  # 6a: too unsure to count
    assert "Sorry, I did not catch that." in said(second) and "Question 6a." in said(second)
    second.say("disagree")
    second.press("#")  # 6b
    second.press("#")  # 7
    assert "About you." in said(second) and "Question 8." in said(second)
    second.say("an individual")
    second.press("#")  # 9
    second.press("8")  # 10: not a choice
    assert "You pressed 8. That is not one of the choices." in said(second)
    second.press("3")  # Liverpool
    assert "Press the number of each answer that applies" in said(second)
    second.press("31")  # 11: a library and broadband at home, in any order
    text = said(second)
    assert text.startswith("Broadband at home and At a library or community centre.")
    assert "That was the last question" in text and "listen to your spoken answers" in text
    assert survey_reference(text.replace("Goodbye", "Again")) == reference
    assert second.ended

    (survey,) = phone_responses()
    assert survey.status == PhoneResponseStatus.AWAITING_CHECK and survey.finished_at is not None
    questionnaire = load_questionnaire(consultation.questionnaire_file)
    assert survey.position == len(questionnaire.questions)
    assert survey.answers == {
        "q1a_infrastructure_priority": "2",
        "q2a_tech_for_good_priority": "1",
        "q3a_createch_priority": "3",
        "q3b_createch_actions": "",
        "q4a_digitalisation_ai_priority": "5",
        "q5a_skills_priority": "6",
        "q5b_skills_actions": "",
        "q6a_inclusion_priority": "4",
        "q6b_inclusion_actions": "",
        "q7_anything_else": "",
        "q8_responding_as": "1",
        "q9_organisation_name": "",
        "q10_local_authority": "3",
        "q11_how_online": "1;3",
    }
    drafts = {r.question_code: (r.draft_text, r.draft_status) for r in survey.recordings}
    assert drafts == {
        "q1b_infrastructure_actions": ("More fibre in Knowsley and free wifi in libraries", "completed"),
        "q2b_tech_for_good_actions": ("Use 5G for care homes", "completed"),
        "q4b_digitalisation_ai_actions": ("", "failed"),
    }
    assert all(r.recording_url.startswith("https://api.twilio.com/") for r in survey.recordings)
    logged = menu_call(second)
    assert logged.outcome == CallOutcome.SURVEY_ANSWERED


def test_a_survey_of_keys_only_counts_at_once_and_a_finished_one_cannot_be_reopened(ring, consultation):
    call = ring()
    reference = start_survey(call)
    questionnaire = load_questionnaire(consultation.questionnaire_file)
    for question in questionnaire.questions:
        call.press("#" if question.type == "text" else "1")
    assert "That was the last question" in said(call) and "listen to your spoken answers" not in said(call)
    (survey,) = phone_responses()
    assert survey.status == PhoneResponseStatus.VERIFIED  # nothing spoken: nothing for a person to check

    again = ring()
    again.press("5")
    again.press("2")
    again.press(reference)
    assert "You have already answered every question of this survey." in said(again) and again.ended


def test_a_retried_answer_never_answers_the_next_question_too(ring, consultation):
    call = ring()
    start_survey(call)
    call.press("2")  # 1a
    assert "Question 1b." in said(call)
    call.retry()  # Twilio posts the 1a answer again
    assert "Question 1b." in said(call)
    (survey,) = phone_responses()
    assert survey.position == 1 and survey.answers == {"q1a_infrastructure_priority": "2"}


def test_going_back_from_the_first_question_says_so(ring, consultation):
    call = ring()
    start_survey(call)
    call.press("0")
    assert "This is the first question." in said(call) and "Question 1a." in said(call)


def test_a_caller_who_leaves_a_message_can_then_answer_the_survey(ring, consultation):
    call = ring()
    call.press("4")
    call.record(seconds=20)
    call.press("1")
    assert "You can answer the survey now, by phone." in said(call)
    call.press("1")
    assert "Question 1a." in said(call)
    logged = menu_call(call)
    assert logged.outcome == CallOutcome.CALLBACK_NEEDED  # the message still waits for its callback


def test_hanging_up_while_speaking_keeps_the_spoken_answer(ring, consultation):
    call = ring()
    start_survey(call)
    call.press("3")
    call.silence()
    call.hang_up(transcript="Faster broadband")
    (survey,) = phone_responses()
    (recording,) = db.session.scalars(select(PhoneRecording)).all()
    assert recording.question_code == "q1b_infrastructure_actions" and recording.draft_text == "Faster broadband"
    assert survey.position == 2


def test_hostile_survey_webhooks_get_twiml_never_a_500_and_spoken_words_never_reach_the_logs(
    ring, consultation, client, caplog
):
    caplog.set_level(logging.DEBUG)
    assert client.post("/ivr/transcription", data={"RecordingSid": "RE1"}).status_code == 403  # unsigned
    call = ring()
    base = {"CallSid": call.call_sid, "From": CALLER_NUMBER, "To": LINE}
    nothing_started = post_signed(client, "/ivr/step/survey_question?q=%00", {**base, "Digits": "1"})
    assert nothing_started.status_code == 200 and "Goodbye" in nothing_started.get_data(as_text=True)
    start_survey(call)
    for digits in ("\u0661", "\x00", "9" * 40):
        call.press(digits)
        assert "That is not one of the choices." in said(call) or "did not hear" in said(call), digits
        call.press("*")
    stranger = {"RecordingSid": "RE" + "9" * 32, "TranscriptionText": "x\x00y", "TranscriptionStatus": "completed"}
    assert post_signed(client, "/ivr/transcription", {**base, **stranger}).status_code == 200
    call.press("2")
    call.silence()
    call.record(transcript="Penelope Cruikshank of Larkspur Lane")
    (survey,) = phone_responses()
    assert survey.position == 2
    assert "cruikshank" not in caplog.text.lower() and "larkspur" not in caplog.text.lower()
