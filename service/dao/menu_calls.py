"""Phone-menu calls: their state by CallSid, the request each may make, and their end."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from service.dao import commit_without_waiting_for_disk, transactional
from service.dao.requests import NewRequest, create_request
from service.extensions import db
from service.models import Call, CallChannel, Caller, CallOutcome, PaperRequest
from service.models.calls import request_outcome

MENU_ACTOR = "Phone menu"
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


def get_call_by_sid(call_sid: str) -> Call | None:
    query = (
        select(Call)
        .where(Call.call_sid == call_sid)
        .options(joinedload(Call.caller), joinedload(Call.consultation))
        .execution_options(populate_existing=True)
    )
    return db.session.scalar(query)


@transactional
def _insert_menu_call(call_sid: str, consultation_id: int, phone: str | None) -> Call:
    # Without waiting for the disk, as each step (`save_menu_call`): a call a crash of the database server
    # loses is started again at its next step (the step finds no call and sends Twilio back to the welcome).
    commit_without_waiting_for_disk()
    call = Call(
        call_sid=call_sid,
        consultation_id=consultation_id,
        channel=CallChannel.PHONE_MENU,
        caller=Caller(phone=phone),
        menu_answers={},
    )
    db.session.add(call)
    db.session.flush()
    return call


def start_menu_call(call_sid: str, consultation_id: int, phone: str | None) -> Call:
    """Log a new menu call, or return the one already logged for `call_sid` (Twilio retried)."""
    try:
        return _insert_menu_call(call_sid, consultation_id, phone)
    except IntegrityError:
        existing = get_call_by_sid(call_sid)
        if existing is None:
            raise
        return existing


@transactional
def save_menu_call(call: Call) -> None:
    """Commit what this step changed on the call and its caller.

    Without waiting for the disk on PostgreSQL (`commit_without_waiting_for_disk`). A crash of the database
    server may lose the call's last steps, never a step without those before it (the log is written in
    order): a request then made without the caller's confirmations goes to the address check, where a call
    handler checks it with them. The request itself, and with it every earlier step, is written to disk
    before the caller hears its reference (`make_menu_request` waits). Waiting at every step, 50 callers at
    once queued behind each other's disk writes (the bench's menu p99 on PostgreSQL).
    """
    commit_without_waiting_for_disk()
    db.session.add(call)


def get_request_by_idempotency_key(key: str) -> PaperRequest | None:
    query = select(PaperRequest).where(PaperRequest.idempotency_key == key).options(selectinload(PaperRequest.packs))
    return db.session.scalar(query)


@transactional
def _insert_menu_request(call: Call, details: NewRequest, answers: dict[str, Any] | None, next_step: str) -> int:
    inserted = create_request(details, None, MENU_ACTOR)
    caller = db.session.get_one(Caller, inserted.caller_id)
    collected = call.caller
    if collected is not None:
        # The caller row filled in during the call gives way to the request's own, keeping the phone and recording.
        caller.phone = collected.phone
        caller.recording_url = collected.recording_url
    call.caller = caller
    call.outcome = request_outcome(details.format.printed_here)
    call.menu_step = next_step
    answers = copy.deepcopy(call.menu_answers if answers is None else answers)
    call.menu_answers = {**answers, "request_id": inserted.request_id}
    db.session.flush()
    if collected is not None:
        db.session.delete(collected)
    return inserted.request_id


def make_menu_request(
    call: Call, details: NewRequest, answers: dict[str, Any] | None = None, next_step: str = "reference"
) -> tuple[int, bool]:
    """Make the call's one request and return its id; if a retried webhook already made it, that one's (and False).

    In the same commit the call records `next_step` as the question now asked, with the menu's `answers` as
    they stand (by default the call's own) and the request's id.
    """
    assert details.idempotency_key, "menu requests are keyed by their call"
    try:
        return _insert_menu_request(call, details, answers, next_step), True
    except IntegrityError:
        existing = get_request_by_idempotency_key(details.idempotency_key)
        if existing is None:
            raise
        return existing.id, False


@transactional
def record_call_status(call: Call, status: str, duration_seconds: int | None, hung_up_note: str) -> None:
    """Keep Twilio's latest status; a call that ends with nothing decided is incomplete."""
    call.twilio_status = status[:32]
    if duration_seconds is not None:
        call.duration_seconds = duration_seconds
    if status in FINAL_STATUSES and call.outcome is None:
        call.outcome = CallOutcome.INCOMPLETE
        call.notes = hung_up_note
