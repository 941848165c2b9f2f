"""Callbacks with one click: Twilio's Calls API rings the handler's own phone first; when they answer and
press 1, the menu's TwiML dials the caller (service/ivr/callback_calls.py).

Neither number is shown to the other side: both legs show the consultation's line as the caller ID.
"""

from __future__ import annotations

import logging

from flask import current_app

from service.dao.callback_calls import load_callback_call, move_callback_call, set_handler_call_sid
from service.geo.phones import without_extension
from service.ivr.twiml import public_url
from service.models import Call, CallbackCallStatus, StaffUser
from service.models.types import utcnow
from service.twilio_rest import TwilioRestException, rest_client, rest_is_set_up

log = logging.getLogger(__name__)
HANDLER_RING_SECONDS = 25  # then Twilio stops ringing the handler (their voicemail would answer later)


def why_no_call(call: Call, handler: StaffUser) -> str | None:
    """Why this handler cannot ring this caller back with one click, in words; None if they can."""
    if not rest_is_set_up() or not current_app.config["PUBLIC_BASE_URL"]:
        return "Calls through Twilio are not set up here (TWILIO_ACCOUNT_SID and PUBLIC_BASE_URL): dial the caller yourself."
    if not call.callback_open:
        return "That callback was already marked done."
    if not (call.caller and call.caller.phone):
        return "The caller left no phone number to call back."
    if not handler.phone:
        return "Add your own phone number on your profile first: Twilio rings it, then the caller."
    return None


def ring_handler(callback_call_id: int) -> str | None:
    """Ask Twilio to ring the handler's phone for this try; return a problem to show, or None."""
    attempt = load_callback_call(callback_call_id)
    consultation = attempt.call.consultation
    try:
        placed = rest_client().calls.create(
            to=without_extension(attempt.handler.phone),
            from_=consultation.phone_line,
            url=public_url("ivr.callback_answered", callback_call_id=attempt.id),
            method="POST",
            status_callback=public_url("ivr.callback_status", callback_call_id=attempt.id),
            status_callback_event=["completed"],
            status_callback_method="POST",
            timeout=HANDLER_RING_SECONDS,
        )
    except TwilioRestException as error:
        move_callback_call(attempt.id, CallbackCallStatus.FAILED, utcnow(), error_code=error.code)
        log.info("Callback call %s refused by Twilio (error %s)", attempt.id, error.code)
        return f"Twilio could not ring your phone (error {error.code}). Check your number on your profile."
    except Exception as error:  # a timeout: Twilio may still ring; the try stays live until its callbacks say
        log.warning("Callback call %s: no answer from Twilio (%s)", attempt.id, type(error).__name__)
        return "Twilio did not answer in time: your phone may still ring. If it does not, try again in a few minutes."
    set_handler_call_sid(attempt.id, placed.sid)
    log.info("Callback call %s: ringing the handler", attempt.id)
    return None
