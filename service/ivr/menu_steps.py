"""The welcome, the choice of consultation, the main menu, the formats menu (and how audio is sent), and the
closed-consultation menu."""

from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from service.dao.consultations import get_consultation
from service.geo.phones import is_uk_mobile
from service.ivr import adviser, prompts, survey_steps
from service.ivr.speech import clean_answer
from service.ivr.state import Turn
from service.ivr.steps import ask, goodbye, step, wrong_key
from service.ivr.twiml import keypad_question, speech_question
from service.models import Consultation, Delivery, PrintFormat
from service.twilio_rest import rest_is_set_up

LANGUAGE_MAX = 80


def welcome(turn: Turn) -> VoiceResponse:
    """Greet the caller, then ask the first question: which consultation, or the main menu."""
    consultation = turn.consultation
    if turn.answers.get("choices"):
        return ask(turn, "choose", f"Welcome to {consultation.organisation}.")
    if consultation.has_closed_by(turn.now):
        return ask(turn, "closed", prompts.welcome(consultation))
    return ask(turn, "menu", prompts.welcome(consultation))


def _choices(turn: Turn) -> list[Consultation]:
    found = (get_consultation(i) for i in turn.answers.get("choices", []))
    return [c for c in found if c is not None]


@step("choose", lambda turn, response: keypad_question(response, "choose", prompts.choose_consultation(_choices(turn))))
def choose(turn: Turn) -> VoiceResponse:
    choices = _choices(turn)
    if not (turn.digits.isascii() and turn.digits.isdigit() and 1 <= int(turn.digits) <= len(choices)):
        return wrong_key(turn, "choose")
    chosen = choices[int(turn.digits) - 1]
    turn.call.consultation = chosen
    turn.answers.pop("choices", None)
    return ask(turn, "menu", f"You chose the {prompts.speakable(chosen.title)}.")


@step("menu", lambda turn, response: keypad_question(response, "menu", prompts.MAIN_MENU))
def main_menu(turn: Turn) -> VoiceResponse:
    if turn.digits == "1":
        turn.answers["format"] = None
        return ask(turn, "name", "To post you a paper copy, I need your name and address.")
    if turn.digits == "2":
        turn.answers["heard_online_details"] = True
        return ask(turn, "menu", prompts.respond_online(turn.consultation))
    if turn.digits == "3":
        return ask(turn, "formats")
    if turn.digits == "4":
        return adviser.connect(turn)
    if turn.digits == "5":
        return survey_steps.offer_survey(turn)
    return wrong_key(turn, "menu")


@step("closed", lambda turn, response: keypad_question(response, "closed", prompts.closed(turn.consultation)))
def closed_menu(turn: Turn) -> VoiceResponse:
    if turn.digits == "1":
        return adviser.connect(turn)
    return wrong_key(turn, "closed")


@step("formats", lambda turn, response: keypad_question(response, "formats", prompts.FORMAT_MENU))
def formats(turn: Turn) -> VoiceResponse:
    if turn.digits == "0":
        return ask(turn, "menu")
    chosen = prompts.FORMAT_KEYS.get(turn.digits)
    if chosen is None:
        return wrong_key(turn, "formats")
    turn.answers["format"] = chosen.value
    if chosen == PrintFormat.OTHER_LANGUAGE:
        return ask(turn, "language")
    if chosen == PrintFormat.AUDIO and may_text_a_link(turn):
        return ask(turn, "audio_delivery", "Audio.")
    return ask(turn, "name", f"{chosen.label}. To send it to you, I need your name and address.")


def may_text_a_link(turn: Turn) -> bool:
    """An audio copy's link can be texted: the caller rings from a UK mobile, and texts are set up."""
    return bool(is_uk_mobile(turn.caller.phone) and rest_is_set_up() and turn.consultation.text_sender)


@step("audio_delivery", lambda turn, response: keypad_question(response, "audio_delivery", prompts.AUDIO_DELIVERY))
def audio_delivery(turn: Turn) -> VoiceResponse:
    choices = {"1": Delivery.POST, "2": Delivery.TEXT}
    if turn.digits not in choices:
        return wrong_key(turn, "audio_delivery")
    turn.answers["delivery"] = choices[turn.digits].value
    if choices[turn.digits] == Delivery.TEXT:
        # The name and address still: the letter in the recording is addressed to them, and a copy can be
        # posted if the text cannot be sent.
        return ask(turn, "name", "A link, by text. I also need your name and address.")
    return ask(turn, "name", "Posted. To send it to you, I need your name and address.")


@step("language", lambda turn, response: speech_question(response, "language", prompts.ASK_LANGUAGE))
def language(turn: Turn) -> VoiceResponse:
    spoken = clean_answer(turn.speech, LANGUAGE_MAX)
    if not spoken:
        return wrong_key(turn, "language")
    turn.answers["language"] = spoken
    turn.note_confidence("language")
    return ask(turn, "name", "Thank you. To send it to you, I need your name and address.")


def _say_goodbye(turn: Turn) -> VoiceResponse:
    return goodbye(turn, "The caller did not answer the menu; it said goodbye.")


@step(
    "offer_adviser",
    lambda turn, response: keypad_question(response, "offer_adviser", prompts.OFFER_ADVISER),
    on_silence=_say_goodbye,
)
def offer_adviser(turn: Turn) -> VoiceResponse:
    if turn.digits == "1":
        return adviser.connect(turn)
    return wrong_key(turn, "offer_adviser")
