"""Twilio's webhooks: `/ivr/voice` (a call arrives), `/ivr/step/<name>` (an answer), `/ivr/status`, `/ivr/fallback`.

Each answers in milliseconds from the database alone: no PDFs, no network. Problems become a spoken apology
in valid TwiML, never a 500 (the caller would hear Twilio's "an application error has occurred").
"""

from __future__ import annotations

import logging
import re
import traceback

from flask import Response, current_app, request
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from service.dao.callback_calls import get_callback_call
from service.dao.consultations import list_consultations_on_line
from service.dao.menu_calls import FINAL_STATUSES, get_call_by_sid, record_call_status, start_menu_call
from service.dao.phone_responses import record_transcription
from service.dao.texts import record_text_status
from service.extensions import db
from service.geo.phones import InvalidPhone, normalise_uk_phone
from service.ivr import (  # noqa: F401 (modules register steps)
    address_steps,
    adviser,
    bp,
    callback_calls,
    menu_steps,
    prompts,
    survey_steps,
)
from service.ivr.state import Turn, collected_names, hung_up_note
from service.ivr.steps import handle, sorry
from service.ivr.twiml import public_url, respond, say
from service.models import CallbackCall, CallOutcome, Consultation
from service.models.types import uk_today, utcnow
from service.questionnaires.answers import TEXT_MAX
from service.text import without_control_characters

log = logging.getLogger(__name__)
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_CALL_SID = re.compile(r"^CA[0-9a-fA-F]{32}$")
_MESSAGE_SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")


def twiml(response: VoiceResponse, status: int = 200) -> Response:
    return Response(str(response), status=status, mimetype="application/xml")


def _call_sid() -> str | None:
    sid = params().get("CallSid", "")
    return sid if _CALL_SID.match(sid) else None


def _phone(value: str | None) -> str | None:
    """The caller's number when Twilio gives one (withheld numbers come as words like "anonymous")."""
    return value if value and _E164.match(value) else None


def _consultations_on(line: str | None) -> list[Consultation]:
    try:
        number = line if line and _E164.match(line) else normalise_uk_phone(line or "")
    except InvalidPhone:
        return []
    return list_consultations_on_line(number)


def _choose_for(consultations: list[Consultation]) -> tuple[Consultation, list[int]]:
    """The consultation a call is about, and the choices to offer when several are open on the line."""
    today = uk_today()
    open_ones = [c for c in consultations if c.is_open_on(today)]
    if len(open_ones) > 1:
        return open_ones[0], [c.id for c in open_ones]
    if open_ones:
        return open_ones[0], []
    return max(consultations, key=lambda c: c.closes_on), []


@bp.post("/voice")
def voice():
    """A call arrives: log it (once, however often Twilio retries) and welcome the caller."""
    sid = _call_sid()
    if sid is None:
        return twiml(sorry())
    call = get_call_by_sid(sid)
    choices: list[int] = []
    if call is None:
        consultations = _consultations_on(params().get("To"))
        if not consultations:
            log.warning("Phone-menu call to a number with no consultation")
            response = respond(prompts.NOT_IN_USE)
            response.hangup()
            return twiml(response)
        chosen, choices = _choose_for(consultations)
        call = start_menu_call(sid, chosen.id, _phone(params().get("From")))
        log.info("Phone-menu call %s started", call.id)
    turn = Turn(call, params(), utcnow())
    if choices:
        turn.answers["choices"] = choices
    return twiml(menu_steps.welcome(turn))


@bp.post("/step/<name>")
def step(name: str):
    """The answer to one question (or the end of a Record or Dial)."""
    sid = _call_sid()
    call = get_call_by_sid(sid) if sid else None
    if call is None:
        if sid and params().get("To"):
            response = VoiceResponse()
            response.redirect(public_url("ivr.voice"), method="POST")  # start again rather than fail
            return twiml(response)
        return twiml(sorry())
    return twiml(handle(Turn(call, params(), utcnow()), name))


@bp.post("/status")
def status():
    """Twilio's status callback: the call's final status and length; a call left half-way is incomplete."""
    sid = _call_sid()
    call_status = (params().get("CallStatus") or "").strip().lower()
    call = get_call_by_sid(sid) if sid else None
    if call is None and sid and call_status in FINAL_STATUSES:
        consultations = _consultations_on(params().get("To"))
        if consultations:  # the call never reached the menu (an error before it): log it all the same
            call = start_menu_call(sid, _choose_for(consultations)[0].id, _phone(params().get("From")))
    if call is None or not call_status:
        return twiml(VoiceResponse())
    duration = params().get("CallDuration", "")
    note = survey_steps.hung_up_note(call) or hung_up_note(call)
    heard_details = call.menu_answers.get("heard_online_details") and not collected_names(call)
    if heard_details and call.outcome is None and call_status in FINAL_STATUSES:
        call.outcome = CallOutcome.QUESTION_ANSWERED
        call.notes = "Heard how to respond online on the phone menu."
    record_call_status(
        call,
        call_status,
        int(duration) if duration.isascii() and duration.isdigit() and len(duration) < 9 else None,
        note,
    )
    log.info("Phone-menu call %s: %s", call.id, call.twilio_status)
    return twiml(VoiceResponse())


@bp.post("/transcription")
def transcription():
    """Twilio's transcription of a spoken survey answer: kept as the draft a data-entry person checks."""
    sid = (params().get("RecordingSid") or "")[:64]
    status = (params().get("TranscriptionStatus") or "").strip().lower()
    if sid and status in ("completed", "failed"):
        text = (params().get("TranscriptionText") or "").replace("\x00", "")[:TEXT_MAX]
        if not record_transcription(sid, text if status == "completed" else "", status):
            log.info("Transcription for a recording not held (erased, or not a survey answer)")
    return twiml(VoiceResponse())


@bp.post("/text-status")
def text_status():
    """Twilio's status callback for a text with the reference: delivered or failed is shown on the request."""
    sid = params().get("MessageSid", "")
    message_status = (params().get("MessageStatus") or "").strip().lower()
    code = params().get("ErrorCode", "")
    error_code = int(code) if code.isascii() and code.isdigit() and len(code) < 9 else None
    if _MESSAGE_SID.match(sid) and record_text_status(sid, message_status, error_code, utcnow()):
        log.info("Text status recorded: %s", message_status[:20])
    return twiml(VoiceResponse())


def _callback_call(callback_call_id: int) -> CallbackCall | None:
    """The try a callback webhook is about, if the call it carries is the one Twilio rang for it."""
    attempt = get_callback_call(callback_call_id)
    sid = _call_sid()
    if attempt is None or sid is None or attempt.handler_call_sid not in (None, sid):
        return None
    return attempt


@bp.post("/callback-calls/<int:callback_call_id>/answered")
def callback_answered(callback_call_id: int):
    """The handler answered their phone, rung for a callback."""
    attempt = _callback_call(callback_call_id)
    return twiml(callback_calls.answered(attempt) if attempt else sorry())


@bp.post("/callback-calls/<int:callback_call_id>/connect")
def callback_connect(callback_call_id: int):
    """The handler's key: 1 dials the caller."""
    attempt = _callback_call(callback_call_id)
    return twiml(callback_calls.connect(attempt, params().get("Digits", "").strip()) if attempt else sorry())


@bp.post("/callback-calls/<int:callback_call_id>/dialled")
def callback_dialled(callback_call_id: int):
    """The end of the <Dial> to the caller: completed, no-answer, busy, failed or canceled."""
    attempt = _callback_call(callback_call_id)
    if attempt is None:
        return twiml(sorry())
    duration = params().get("DialCallDuration", "")
    seconds = int(duration) if duration.isascii() and duration.isdigit() and len(duration) < 9 else None
    dial_status = (params().get("DialCallStatus") or "").strip().lower()
    log.info("Callback call %s: the caller's line %s", attempt.id, dial_status[:20])
    return twiml(callback_calls.dialled(attempt, dial_status, seconds))


@bp.post("/callback-calls/<int:callback_call_id>/status")
def callback_status(callback_call_id: int):
    """The status callback of the call to the handler's phone."""
    attempt = _callback_call(callback_call_id)
    if attempt is not None and (params().get("CallStatus") or "").strip().lower() in FINAL_STATUSES:
        callback_calls.handler_leg_ended(attempt)
    return twiml(VoiceResponse())


@bp.post("/fallback")
def fallback():
    """Twilio calls this when the voice URL failed: no database here, just an apology (and an adviser if open)."""
    response = VoiceResponse()
    say(response, "Sorry, something went wrong on our side.")
    number = current_app.config["ADVISER_NUMBER"]
    if number and adviser.opening_hours().is_open(utcnow()):
        say(response, prompts.CONNECTING)
        response.dial(number, timeout=current_app.config["ADVISER_DIAL_TIMEOUT_SECONDS"])
        return twiml(response)
    say(response, "Please call again later. Goodbye.")
    response.hangup()
    return twiml(response)


def params() -> MultiDict:
    """The webhook's parameters without control characters: speech and keys never carry them, and a NUL
    byte would fail in PostgreSQL. (The signature was checked on the parameters as sent.)"""
    return MultiDict((key, without_control_characters(value)) for key, value in request.form.items(multi=True))


@bp.errorhandler(Exception)
def apologise(error: Exception):
    """Any failure in a webhook: an apology in TwiML. A refused signature stays a plain 403, and a body past
    MAX_CONTENT_LENGTH a plain 413 (Twilio's own are a few kilobytes: such a body is not from Twilio)."""
    if isinstance(error, HTTPException) and error.code in (403, 405, 413):
        return error
    # Type and place only: messages can carry what the caller said.
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("Phone-menu webhook failed: %s at %s\n%s", type(error).__name__, request.path, frames)
    db.session.rollback()
    return twiml(sorry())
