"""The TwiML of a callback with one click, after Twilio has rung the handler's phone.

The handler answers and presses 1 (a voicemail cannot, so the caller is never rung into one); the caller is
dialled with the consultation's line as the caller ID. The caller's number goes to Twilio in the <Dial> and
nowhere else. Dial's action says how it went: completed takes the callback off the list; no answer, busy or
failed leave it due, with the outcome shown on the list.
"""

from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from service.dao.callback_calls import callback_call_connected, move_callback_call
from service.geo.phones import EXTENSION_SEPARATOR
from service.ivr.twiml import public_url, respond, say
from service.models import CallbackCall, CallbackCallStatus
from service.models.types import utcnow

CALLER_RING_SECONDS = 30
PRESS_ONE_SECONDS = 8
ASK_TO_CONNECT = "This is the survey line, for a callback you asked for. To ring the caller now, press 1."
NOT_WAITING = "This callback is no longer waiting to be made. Goodbye."
DIAL_OUTCOMES = {
    "no-answer": CallbackCallStatus.NO_ANSWER,
    "busy": CallbackCallStatus.BUSY,
    "failed": CallbackCallStatus.FAILED,
    "canceled": CallbackCallStatus.FAILED,
}
AFTER_DIAL = {
    CallbackCallStatus.COMPLETED: "The call has ended, and the callback is marked done. Goodbye.",
    CallbackCallStatus.NO_ANSWER: "The caller did not answer. The callback stays on the list. Goodbye.",
    CallbackCallStatus.BUSY: "The caller's line was busy. The callback stays on the list. Goodbye.",
    CallbackCallStatus.FAILED: "The call to the caller failed. The callback stays on the list. Goodbye.",
}


def _ended(speech: str) -> VoiceResponse:
    response = respond(speech)
    response.hangup()
    return response


def answered(attempt: CallbackCall) -> VoiceResponse:
    """The handler picked up: ask them to press 1, so that a voicemail never gets the caller rung."""
    if attempt.status != CallbackCallStatus.RINGING_HANDLER or not attempt.call.callback_open:
        return _ended(NOT_WAITING)
    response = VoiceResponse()
    gather = response.gather(
        input="dtmf",
        num_digits=1,
        timeout=PRESS_ONE_SECONDS,
        action=public_url("ivr.callback_connect", callback_call_id=attempt.id),
        method="POST",
    )
    say(gather, ASK_TO_CONNECT)
    say(response, "Nobody pressed 1, so the caller was not rung. Goodbye.")
    response.hangup()
    return response


def connect(attempt: CallbackCall, digits: str) -> VoiceResponse:
    """1 pressed: dial the caller, showing the consultation's line; anything else ends the call."""
    if digits != "1":
        return _ended("The caller was not rung. Goodbye.")
    phone = attempt.call.caller.phone if attempt.call.caller else None
    if not phone or not attempt.call.callback_open:
        return _ended(NOT_WAITING)
    moved = move_callback_call(attempt.id, CallbackCallStatus.RINGING_CALLER, utcnow())
    if not moved and attempt.status != CallbackCallStatus.RINGING_CALLER:  # a retried webhook dials again
        return _ended(NOT_WAITING)
    number, _, extension = phone.partition(EXTENSION_SEPARATOR)
    response = respond("Ringing the caller now.")
    dial = response.dial(
        caller_id=attempt.call.consultation.phone_line,
        timeout=CALLER_RING_SECONDS,
        action=public_url("ivr.callback_dialled", callback_call_id=attempt.id),
        method="POST",
    )
    # An extension is keyed once the switchboard answers: each "w" waits half a second first.
    dial.number(number, send_digits=f"wwww{extension}" if extension else None)
    return response


def dialled(attempt: CallbackCall, dial_status: str, duration: int | None) -> VoiceResponse:
    """How the call to the caller ended; a completed one takes the callback off the list."""
    now = utcnow()
    if dial_status == "completed":
        callback_call_connected(attempt.id, now, duration)
        outcome = CallbackCallStatus.COMPLETED
    else:
        outcome = DIAL_OUTCOMES.get(dial_status, CallbackCallStatus.FAILED)
        move_callback_call(attempt.id, outcome, now)
    return _ended(AFTER_DIAL[outcome])


def handler_leg_ended(attempt: CallbackCall) -> None:
    """The status callback of the handler's call: still ringing them means they never took it (or never pressed 1)."""
    if attempt.status == CallbackCallStatus.RINGING_HANDLER:
        move_callback_call(attempt.id, CallbackCallStatus.HANDLER_MISSED, utcnow())
