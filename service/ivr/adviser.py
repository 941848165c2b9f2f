"""Speak to an adviser: put through in opening hours; otherwise, or unanswered, a message for the callback list."""

from __future__ import annotations

from flask import current_app
from twilio.twiml.voice_response import VoiceResponse

from service.ivr import prompts
from service.ivr.hours import OpeningHours, parse_hours
from service.ivr.state import Turn
from service.ivr.steps import goodbye, step
from service.ivr.survey_steps import survey_offer_after_message
from service.ivr.twiml import respond, say, step_url
from service.models import CallOutcome

MESSAGE_MAX_SECONDS = 180
_NOTES = {
    "out_of_hours": "Message left on the phone menu out of hours.",
    "no_answer": "Message left on the phone menu: no adviser answered.",
}


def opening_hours() -> OpeningHours:
    config = current_app.config
    return parse_hours(config["ADVISER_HOURS"], config["ADVISER_CLOSED_ON_BANK_HOLIDAYS"])


def connect(turn: Turn) -> VoiceResponse:
    """Dial the advisers in opening hours; otherwise ask for a message."""
    number = current_app.config["ADVISER_NUMBER"]
    if not number or not opening_hours().is_open(turn.now):
        return _ask_for_message(turn, "out_of_hours", prompts.out_of_hours(opening_hours().describe()))
    response = respond(prompts.CONNECTING)
    response.dial(
        number,
        action=step_url("dial_result"),
        method="POST",
        timeout=current_app.config["ADVISER_DIAL_TIMEOUT_SECONDS"],
    )
    turn.save("dial_result")
    return response


def _ask_for_message(turn: Turn, reason: str, opening: str) -> VoiceResponse:
    turn.answers["message_reason"] = reason
    response = respond(opening, prompts.LEAVE_MESSAGE)
    response.record(
        action=step_url("message"),
        method="POST",
        max_length=MESSAGE_MAX_SECONDS,
        finish_on_key="#",
        timeout=5,
        play_beep=True,
    )
    # Reached only when nothing was recorded.
    say(response, prompts.NO_RECORDING)
    say(response, prompts.GOODBYE)
    response.hangup()
    turn.save("message")
    return response


def _dial_status(turn: Turn) -> bool:
    return bool(turn.params.get("DialCallStatus"))


def _no_adviser(turn: Turn) -> VoiceResponse:
    return _ask_for_message(turn, "no_answer", prompts.ADVISER_BUSY)


@step("dial_result", lambda turn, response: None, heard=_dial_status, on_silence=_no_adviser)
def dial_result(turn: Turn) -> VoiceResponse:
    if turn.params.get("DialCallStatus") == "completed":
        if turn.call.outcome in (None, CallOutcome.INCOMPLETE):
            turn.call.outcome = CallOutcome.QUESTION_ANSWERED
            turn.call.notes = "Put through to an adviser from the phone menu."
        return goodbye(turn)
    return _no_adviser(turn)


def _recorded(turn: Turn) -> bool:
    return bool(turn.params.get("RecordingUrl"))


@step("message", lambda turn, response: None, heard=_recorded, on_silence=lambda turn: goodbye(turn))
def message(turn: Turn) -> VoiceResponse:
    turn.caller.recording_url = turn.params["RecordingUrl"][:500]
    reason = turn.answers.get("message_reason", "out_of_hours")
    if turn.call.outcome in (None, CallOutcome.INCOMPLETE):
        turn.call.outcome = CallOutcome.CALLBACK_NEEDED
        turn.call.notes = _NOTES.get(reason, _NOTES["out_of_hours"])
        turn.call.callback_due_at = opening_hours().next_opening(turn.now)
    response = respond(prompts.MESSAGE_SAVED)
    survey_offer_after_message(turn, response)
    turn.save("message_saved")
    return response
