"""The survey by phone, generated from the questionnaire definition: one question at a time, by keypad or speech.

Each question's answer is posted to `/ivr/step/survey_question?q=<code>`; it is kept only if that question is
still the one asked (a compare-and-set on the response's position), so a webhook Twilio retries never answers
the next question too. Keypad and recognised answers count at once; a written question is answered by speaking
after a tone: Twilio's recording and transcription wait for a person to check them (/phone-responses).
"""

from __future__ import annotations

from flask import request
from twilio.twiml.voice_response import VoiceResponse

from service.dao.phone_responses import (
    finish_phone_response,
    get_phone_response,
    get_phone_response_by_reference,
    load_phone_response,
    record_phone_answer,
    record_spoken_answer,
    start_phone_response,
)
from service.ivr import prompts
from service.ivr import survey_prompts as say_
from service.ivr.answer_speech import Command, option_from_speech
from service.ivr.state import Turn
from service.ivr.steps import ask, ask_again, goodbye, step, wrong_key
from service.ivr.twiml import ANSWER_TIMEOUT_SECONDS, LANGUAGE, keypad_question, public_url, respond, say, step_url
from service.models import Call, PhoneResponse, PhoneResponseStatus
from service.questionnaires.definition import Question, Questionnaire, load_questionnaire
from service.reference import InvalidReference, parse_reference

SPOKEN_ANSWER_MAX_SECONDS = 120
MULTIPLE_TIMEOUT_SECONDS = 4  # quiet after the last key that ends a multiple-choice answer
TEXT_ANSWER_WAIT_SECONDS = 3  # before the tone, for a caller who presses 1, # or 0 instead


def questionnaire_of(turn: Turn) -> Questionnaire:
    return load_questionnaire(turn.consultation.questionnaire_file)


def offer_survey(turn: Turn, *preface: prompts.Speech | str) -> VoiceResponse:
    """The way in, from the main menu and after a message for a callback."""
    return ask(turn, "survey_menu", *preface)


@step(
    "survey_menu",
    lambda turn, response: keypad_question(response, "survey_menu", say_.offer(questionnaire_of(turn))),
)
def survey_menu(turn: Turn) -> VoiceResponse:
    if turn.digits == "1":
        return _begin(turn)
    if turn.digits == "2":
        return ask(turn, "survey_reference")
    if turn.digits == "0":
        return ask(turn, "menu")
    return wrong_key(turn, "survey_menu")


def _begin(turn: Turn) -> VoiceResponse:
    questionnaire = questionnaire_of(turn)
    survey = start_phone_response(turn.consultation.id, questionnaire.version, turn.call.id)
    turn.answers["survey_id"] = survey.id
    return ask(turn, "survey_question", say_.started(survey.reference))


@step(
    "survey_reference",
    lambda turn, response: keypad_question(response, "survey_reference", say_.ASK_REFERENCE, digits=None),
)
def survey_reference(turn: Turn) -> VoiceResponse:
    try:
        reference = parse_reference(turn.digits.rstrip("#"))
    except InvalidReference:
        return ask_again(turn, "survey_reference", "Sorry, that reference number is not right.")
    survey = get_phone_response_by_reference(reference)
    if survey is None or survey.consultation_id != turn.consultation.id:
        return ask_again(turn, "survey_reference", say_.REFERENCE_NOT_FOUND)
    if survey.status != PhoneResponseStatus.ANSWERING:
        response = respond(say_.ALREADY_FINISHED)
        response.hangup()
        turn.save("survey_done")
        return response
    turn.answers["survey_id"] = survey.id
    total = len(questionnaire_of(turn).questions)
    return ask(turn, "survey_question", say_.resumed(min(survey.position, total), total))


def _survey(turn: Turn) -> PhoneResponse | None:
    survey_id = turn.answers.get("survey_id")
    return get_phone_response(survey_id) if isinstance(survey_id, int) else None


def _question_url(name: str, question: Question) -> str:
    return public_url("ivr.step", name=name, q=question.code)


def _ask_question(turn: Turn, response: VoiceResponse) -> None:
    survey = _survey(turn)
    questionnaire = questionnaire_of(turn)
    if survey is None or survey.position >= len(questionnaire.questions):
        response.redirect(step_url("survey_question"), method="POST")  # the handler says goodbye
        return
    question = questionnaire.questions[survey.position]
    speech: prompts.Speech = []
    for section in questionnaire.sections:
        if section.questions and section.questions[0].code == question.code:
            speech += say_.section_intro(section)
    speech += say_.question_speech(question)
    if question.type == "text":
        gather = response.gather(
            input="dtmf",
            action=_question_url("survey_question", question),
            method="POST",
            num_digits=1,
            finish_on_key="",
            timeout=TEXT_ANSWER_WAIT_SECONDS,
        )
        say(gather, speech)
        _record(response, question)  # reached when the caller waits: the tone, then their answer
        return
    both = question.type != "multiple" and len(question.options) <= 9
    gather = response.gather(
        input="dtmf speech" if both else "dtmf",
        action=_question_url("survey_question", question),
        method="POST",
        num_digits=1 if both else None,
        finish_on_key="",  # `#` is an answer here (skip), not the end of one
        timeout=ANSWER_TIMEOUT_SECONDS if both else MULTIPLE_TIMEOUT_SECONDS,
        language=LANGUAGE if both else None,
        speech_timeout="auto" if both else None,
        hints=", ".join(o.label for o in question.options) if both else None,
        action_on_empty_result=True,
    )
    say(gather, speech)
    response.redirect(_question_url("survey_question", question), method="POST")


def _record(response: VoiceResponse, question: Question) -> None:
    say(response, say_.SPEAK_AFTER_TONE)
    response.record(
        action=_question_url("survey_spoken", question),
        method="POST",
        max_length=SPOKEN_ANSWER_MAX_SECONDS,
        finish_on_key="#",
        timeout=5,
        play_beep=True,
        transcribe=True,
        transcribe_callback=public_url("ivr.transcription"),
    )
    # Reached only when nothing was recorded: the same step counts it as silence.
    response.redirect(_question_url("survey_spoken", question), method="POST")


def _current(turn: Turn) -> tuple[PhoneResponse, Questionnaire, Question] | VoiceResponse:
    """The survey and the question now asked; or what to say when the answer is not to it."""
    survey = _survey(turn)
    if survey is None:
        return goodbye(turn)
    questionnaire = questionnaire_of(turn)
    if survey.status != PhoneResponseStatus.ANSWERING or survey.position >= len(questionnaire.questions):
        return _finish(turn, survey, questionnaire)
    question = questionnaire.questions[survey.position]
    if request.args.get("q") != question.code:
        return ask(turn, "survey_question")  # a late or retried answer to another question: ask the one now due
    return survey, questionnaire, question


def _next(turn: Turn, survey: PhoneResponse, questionnaire: Questionnaire, *preface: str) -> VoiceResponse:
    survey = load_phone_response(survey.id)
    if survey.position >= len(questionnaire.questions):
        return _finish(turn, survey, questionnaire, *preface)
    return ask(turn, "survey_question", *preface)


def _finish(turn: Turn, survey: PhoneResponse, questionnaire: Questionnaire, *preface: str) -> VoiceResponse:
    status = finish_phone_response(survey, len(questionnaire.questions), turn.call)
    response = respond(*preface, say_.finished(survey.reference, status == PhoneResponseStatus.AWAITING_CHECK))
    response.hangup()
    turn.save("survey_done")
    return response


def _not_answered(questionnaire: Questionnaire, question: Question) -> str:
    if question.type == "text":
        return ""
    missing = questionnaire.missing_codes.get("not_answered")
    return missing.code if missing else ""


def _keep(turn: Turn, survey: PhoneResponse, questionnaire: Questionnaire, question: Question, value: str, heard: str):
    answers = {**survey.answers, question.code: value}
    if not record_phone_answer(survey, survey.position, survey.position + 1, answers):
        return ask(turn, "survey_question")
    return _next(turn, survey, questionnaire, heard)


def _keyed_choice(question: Question, keys: str) -> list[int] | None:
    """Keypad numbers (1-based) of a closed answer, or None if a key is not one of the choices."""
    numbers = sorted({int(k) for k in keys if k in "0123456789"})  # keypad digits only, not any Unicode digit
    if not numbers or len(numbers) != len(set(keys)) or any(not 1 <= n <= len(question.options) for n in numbers):
        return None
    if question.type != "multiple" and len(numbers) > 1:
        return None
    return numbers


@step("survey_question", _ask_question)
def survey_question(turn: Turn) -> VoiceResponse:
    current = _current(turn)
    if isinstance(current, VoiceResponse):
        return current
    survey, questionnaire, question = current
    command = {"#": Command.SKIP, "0": Command.BACK}.get(turn.digits)
    option = None
    if not turn.digits and turn.speech:
        heard = option_from_speech(question, turn.speech) if question.type != "text" else None
        if heard is None or (not isinstance(heard, Command) and turn.unsure):
            return ask_again(turn, "survey_question", say_.NOT_CAUGHT)
        command, option = (heard, None) if isinstance(heard, Command) else (None, heard)
    if command == Command.REPEAT:
        return ask(turn, "survey_question")
    if command == Command.BACK:
        if survey.position == 0:
            return ask(turn, "survey_question", say_.FIRST_QUESTION)
        record_phone_answer(survey, survey.position, survey.position - 1)
        return ask(turn, "survey_question", say_.GOING_BACK)
    if command == Command.SKIP:
        return _keep(turn, survey, questionnaire, question, _not_answered(questionnaire, question), say_.SKIPPED)
    if question.type == "text":
        if turn.digits == "1":
            response = VoiceResponse()
            _record(response, question)
            turn.save("survey_spoken")
            return response
        return wrong_key(turn, "survey_question")
    if option is not None:
        return _keep(turn, survey, questionnaire, question, option.code, say_.heard([option.label]))
    numbers = _keyed_choice(question, turn.digits)
    if numbers is None:
        bad = next((k for k in turn.digits if k not in "123456789"[: len(question.options)]), None)
        return wrong_key(turn, "survey_question", bad or turn.digits[:1])
    chosen = [question.options[n - 1] for n in numbers]
    value = ";".join(o.code for o in chosen)
    return _keep(turn, survey, questionnaire, question, value, say_.heard([o.label for o in chosen]))


def _recorded(turn: Turn) -> bool:
    return bool(turn.params.get("RecordingUrl"))


def _nothing_recorded(turn: Turn) -> VoiceResponse:
    return ask_again(turn, "survey_question", say_.NO_SPOKEN_ANSWER)


@step("survey_spoken", lambda turn, response: None, heard=_recorded, on_silence=_nothing_recorded)
def survey_spoken(turn: Turn) -> VoiceResponse:
    current = _current(turn)
    if isinstance(current, VoiceResponse):
        return current
    survey, questionnaire, question = current
    duration = turn.params.get("RecordingDuration", "")
    recording = (
        (turn.params.get("RecordingSid") or "")[:64] or None,
        turn.params["RecordingUrl"][:500],
        int(duration) if duration.isascii() and duration.isdigit() and len(duration) < 9 else None,
    )
    kept = record_spoken_answer(survey, survey.position, turn.call.id, question.code, recording)
    if turn.params.get("Digits") == "hangup":
        turn.save("survey_question")  # the caller hung up while speaking: the answer is kept
        return VoiceResponse()
    if not kept:
        return ask(turn, "survey_question")
    return _next(turn, survey, questionnaire, say_.RECORDED)


@step("after_message", lambda turn, response: None, on_silence=lambda turn: goodbye(turn))
def after_message(turn: Turn) -> VoiceResponse:
    if turn.digits == "1" and not turn.consultation.has_closed_by(turn.now):
        return offer_survey(turn)
    return goodbye(turn)


def survey_offer_after_message(turn: Turn, response: VoiceResponse) -> None:
    """After a message for a callback: a moment to choose the survey, else goodbye."""
    if turn.consultation.has_closed_by(turn.now):
        say(response, prompts.GOODBYE)
        response.hangup()
        return
    gather = response.gather(
        input="dtmf", action=step_url("after_message"), method="POST", num_digits=1, timeout=ANSWER_TIMEOUT_SECONDS
    )
    say(gather, say_.AFTER_MESSAGE)
    say(response, prompts.GOODBYE)
    response.hangup()


def hung_up_note(call: Call) -> str | None:
    """The call log's note for a call that ended during the survey, or None if it never reached it."""
    survey_id = (call.menu_answers or {}).get("survey_id")
    survey = get_phone_response(survey_id) if isinstance(survey_id, int) else None
    if survey is None or survey.status != PhoneResponseStatus.ANSWERING:
        return None
    total = len(load_questionnaire(call.consultation.questionnaire_file).questions)
    return (
        f"Caller hung up during the survey by phone, after {min(survey.position, total)} of {total} questions; "
        "they can carry on with its reference."
    )
