"""A copy posted to the caller: name, postcode (read back, confirmed by keypad), house, street, town, the whole
address read back, print size; then the request and its reference.

There is no address lookup here, so the street and town come from speech too. The request goes straight to
printing only when every spoken answer was recognised confidently and the caller confirmed the postcode and
the whole address by keypad. Otherwise (unsure speech, or an address recorded as a message after two failed
tries) it waits in the **needs address check** list for a call handler, with the recording.
"""

from __future__ import annotations

import re
from dataclasses import replace

from flask import current_app
from twilio.twiml.voice_response import VoiceResponse

from service.dao.menu_calls import make_menu_request
from service.dao.requests import load_request
from service.dao.texts import request_text, text_of_request
from service.geo.phones import last_digits
from service.ivr import prompts
from service.ivr.speech import clean_answer, postcode_from_speech
from service.ivr.state import Turn
from service.ivr.steps import ask, ask_again, goodbye, step, wrong_key
from service.ivr.twiml import keypad_question, respond, say, speech_question, step_url
from service.models import CallChannel, Delivery, PrintFormat, RequestStatus
from service.packs.postal_rules import normalise_line, window_problems
from service.requests.forms import ADDRESS_LINE_MAX
from service.requests.intake import build_new_request
from service.texts.offer import may_offer_text

NAME_MAX = 100
MAX_TRIES = 2  # then the caller records their address instead
ADDRESS_RECORDING_MAX_SECONDS = 120
_HOUSE_NUMBER = re.compile(r"\d+[a-z]?", re.IGNORECASE)


def street_lines(turn: Turn) -> list[str]:
    """The lines before the town, from the answers so far: `12 Hope Street`, or `Rose Cottage`, `Hope Street`."""
    house, street = turn.caller.address_line_1, turn.caller.address_line_2
    if house and street and _HOUSE_NUMBER.fullmatch(house):
        return [f"{house} {street}"]
    return [line for line in (house, street) if line]


def address_lines(turn: Turn) -> list[str]:
    """The address as it will be read back, without the postcode."""
    return [*street_lines(turn), *([turn.caller.town] if turn.caller.town else [])]


def _already_requested(turn: Turn) -> VoiceResponse | None:
    """A retried webhook for an answer given before the request was made: read the reference again."""
    if turn.answers.get("request_id"):
        return ask(turn, "reference")
    return None


def _spoken(turn: Turn, name: str, answer: str, max_length: int) -> str | VoiceResponse:
    """The cleaned spoken answer, or the question again when it was empty."""
    if (done := _already_requested(turn)) is not None:
        return done
    text = clean_answer(turn.speech, max_length)
    if not text:
        return ask_again(turn, name, prompts.NOT_HEARD)
    if len(turn.speech.strip(" .")) > max_length:
        turn.answers["unsure"] = sorted({*turn.answers.get("unsure", []), answer})
    turn.note_confidence(answer)
    return text


@step("name", lambda turn, response: speech_question(response, "name", prompts.ASK_NAME))
def name(turn: Turn) -> VoiceResponse:
    spoken = _spoken(turn, "name", "name", NAME_MAX)
    if isinstance(spoken, VoiceResponse):
        return spoken
    turn.caller.name = spoken
    return ask(turn, "postcode", "Thank you.")


@step("postcode", lambda turn, response: speech_question(response, "postcode", prompts.ASK_POSTCODE))
def postcode(turn: Turn) -> VoiceResponse:
    if (done := _already_requested(turn)) is not None:
        return done
    heard = postcode_from_speech(turn.speech or turn.digits)
    if heard is None:
        return _postcode_failed(turn, prompts.POSTCODE_NOT_HEARD)
    turn.caller.postcode = heard
    turn.note_confidence("postcode")
    return ask(turn, "postcode_check")


def _postcode_failed(turn: Turn, problem: str) -> VoiceResponse:
    turn.caller.postcode = ""
    turn.answers["postcode_tries"] = turn.answers.get("postcode_tries", 0) + 1
    if turn.answers["postcode_tries"] >= MAX_TRIES:
        return ask(turn, "record_address", problem)
    return ask(turn, "postcode", problem, prompts.TRY_AGAIN)


@step(
    "postcode_check",
    lambda turn, response: keypad_question(response, "postcode_check", prompts.postcode_check(turn.caller.postcode)),
)
def postcode_check(turn: Turn) -> VoiceResponse:
    if (done := _already_requested(turn)) is not None:
        return done
    if turn.digits == "1" and turn.caller.postcode:
        turn.answers["postcode_confirmed"] = True
        return ask(turn, "house")
    if turn.digits == "2":
        return _postcode_failed(turn, "Sorry about that.")
    return wrong_key(turn, "postcode_check")


@step("house", lambda turn, response: speech_question(response, "house", prompts.ASK_HOUSE, keypad=True))
def house(turn: Turn) -> VoiceResponse:
    if (done := _already_requested(turn)) is not None:
        return done
    keys = turn.digits.rstrip("#")
    if keys:
        if not keys.isdigit():
            return wrong_key(turn, "house", next(key for key in keys if not key.isdigit()))
        turn.caller.address_line_1 = keys[:10]
        return ask(turn, "street")
    spoken = _spoken(turn, "house", "house", ADDRESS_LINE_MAX)
    if isinstance(spoken, VoiceResponse):
        return spoken
    turn.caller.address_line_1 = spoken
    return ask(turn, "street")


@step("street", lambda turn, response: speech_question(response, "street", prompts.ASK_STREET))
def street(turn: Turn) -> VoiceResponse:
    spoken = _spoken(turn, "street", "street", ADDRESS_LINE_MAX)
    if isinstance(spoken, VoiceResponse):
        return spoken
    turn.caller.address_line_2 = spoken
    return ask(turn, "town")


@step("town", lambda turn, response: speech_question(response, "town", prompts.ASK_TOWN))
def town(turn: Turn) -> VoiceResponse:
    spoken = _spoken(turn, "town", "town", ADDRESS_LINE_MAX)
    if isinstance(spoken, VoiceResponse):
        return spoken
    turn.caller.town = spoken
    return ask(turn, "address_check")


@step(
    "address_check",
    lambda turn, response: keypad_question(
        response, "address_check", prompts.address_check(address_lines(turn), turn.caller.postcode)
    ),
)
def address_check(turn: Turn) -> VoiceResponse:
    if (done := _already_requested(turn)) is not None:
        return done
    if turn.digits == "1":
        turn.answers["address_confirmed"] = True
        return _format_or_request(turn)
    if turn.digits == "2":
        turn.answers["address_tries"] = turn.answers.get("address_tries", 0) + 1
        if turn.answers["address_tries"] >= MAX_TRIES:
            return ask(turn, "record_address", "Sorry about that.")
        return ask(turn, "house", "Sorry about that. Let's try the rest of your address again.")
    return wrong_key(turn, "address_check")


def _record_question(turn: Turn, response: VoiceResponse) -> None:
    say(response, prompts.ASK_ADDRESS_RECORDING)
    response.record(
        action=step_url("record_address"),
        method="POST",
        max_length=ADDRESS_RECORDING_MAX_SECONDS,
        finish_on_key="#",
        timeout=5,
        play_beep=True,
    )
    # Reached only when nothing was recorded: back to the same step, which counts it as silence.
    response.redirect(step_url("record_address"), method="POST")


@step("record_address", _record_question, heard=lambda turn: bool(turn.params.get("RecordingUrl")))
def record_address(turn: Turn) -> VoiceResponse:
    if (done := _already_requested(turn)) is not None:
        return done
    turn.caller.recording_url = turn.params["RecordingUrl"][:500]
    turn.answers["recorded_address"] = True
    if turn.params.get("Digits") == "hangup":
        turn.save("record_address")  # keep the recording on the incomplete call; no half-made request
        return VoiceResponse()
    return _format_or_request(turn, prompts.ADDRESS_RECORDED)


def _format_or_request(turn: Turn, *preface: str) -> VoiceResponse:
    chosen = turn.answers.get("format")
    if chosen:
        return make_request(turn, PrintFormat(chosen), *preface)
    return ask(turn, "print_size", *preface)


@step("print_size", lambda turn, response: keypad_question(response, "print_size", prompts.ASK_PRINT_SIZE))
def print_size(turn: Turn) -> VoiceResponse:
    sizes = {"1": PrintFormat.STANDARD, "2": PrintFormat.LARGE_PRINT}
    if turn.digits not in sizes:
        return wrong_key(turn, "print_size")
    return make_request(turn, sizes[turn.digits])


def make_request(turn: Turn, print_format: PrintFormat, *preface: str) -> VoiceResponse:
    """Make the call's one request (a retried webhook gets the same one back) and read its reference."""
    caller, answers = turn.caller, turn.answers
    recorded = bool(answers.get("recorded_address"))
    unsure = sorted(answers.get("unsure", []))
    confirmed = not recorded and not unsure and answers.get("address_confirmed") and answers.get("postcode_confirmed")
    lines = street_lines(turn)
    notes = []
    if recorded:
        notes.append("Phone menu: the caller recorded their address as a message.")
    if unsure:
        notes.append(f"Phone menu: speech recognition was unsure of: {', '.join(unsure)}.")
    # The letter's own postal rules: an address heard that the letter cannot print goes to a handler instead.
    window = [normalise_line(line) for line in (caller.name, *lines, caller.town, caller.postcode)]
    if confirmed and window_problems(window):
        confirmed = False
        notes.append("Phone menu: the address as heard cannot be printed on the envelope; check it with the caller.")
    details = build_new_request(
        turn.consultation,
        now=turn.now,
        working_days_allowed=current_app.config["ALTERNATIVE_FORMAT_WORKING_DAYS"],
        name=caller.name,
        address_line_1=lines[0] if lines else "",
        address_line_2=lines[1] if len(lines) > 1 else "",
        town=caller.town,
        postcode=caller.postcode if answers.get("postcode_confirmed") else "",
        phone=caller.phone,
        print_format=print_format,
        language=answers.get("language", ""),
        notes=" ".join(notes),
        call_id=turn.call.id,
        address_confirmed=bool(confirmed),
        delivery=Delivery(answers.get("delivery") or Delivery.POST.value),
    )
    details = replace(details, channel=CallChannel.PHONE_MENU, idempotency_key=f"ivr:{turn.call.call_sid}")
    turn.answers["misses"] = 0  # the reference question is a new one
    # One commit makes the request and records the reference question as asked, with this turn's answers:
    # a second transaction for the step was a third of this, the menu's slowest step, on PostgreSQL.
    request_id, _ = make_menu_request(turn.call, details, turn.answers, "reference")
    turn.answers["request_id"] = request_id
    return ask(turn, "reference", *preface, saved=True)


def _reference_question(turn: Turn, response: VoiceResponse) -> None:
    request = load_request(turn.answers["request_id"])
    speech = prompts.request_made(
        request.packs[0].reference,  # a request has its references from the moment it is saved
        request.format,
        request.status == RequestStatus.NEEDS_ADDRESS_CHECK,
        current_app.config["ALTERNATIVE_FORMAT_WORKING_DAYS"],
        offer_text=may_offer_text(request),
        link_by_text=request.delivery == Delivery.TEXT,
    )
    keypad_question(response, "reference", speech)


@step("reference", _reference_question, on_silence=lambda turn: goodbye(turn))
def reference(turn: Turn) -> VoiceResponse:
    if turn.digits == "1":
        return ask(turn, "reference")
    if turn.digits == "2":
        return text_the_reference(turn)
    return goodbye(turn)


def text_the_reference(turn: Turn) -> VoiceResponse:
    """The caller asked for a text: one per request, so a retried webhook (or a second 2) sends no other."""
    request = load_request(turn.answers["request_id"])
    if not may_offer_text(request):
        if text_of_request(request.id) is None:  # a landline, or texts not set up: 2 was never offered
            return wrong_key(turn, "reference")
        response = respond(prompts.TEXT_ALREADY, prompts.GOODBYE)
    else:
        request_text(request.id, CallChannel.PHONE_MENU)
        response = respond(prompts.text_coming(last_digits(request.caller.phone)), prompts.GOODBYE)
    response.hangup()
    turn.save("goodbye")
    return response
