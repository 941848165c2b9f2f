"""The call log and the callback list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from service.dao import transactional
from service.dao.audit import record_audit
from service.dao.paging import Page, page_of
from service.extensions import db
from service.models import Call, CallChannel, Caller, CallOutcome


@dataclass(frozen=True)
class NewCall:
    consultation_id: int
    outcome: CallOutcome
    notes: str = ""
    caller_name: str = ""
    caller_phone: str | None = None
    callback_due_at: datetime | None = None


@transactional
def log_call(details: NewCall, handler_id: int) -> Call:
    """Record one call taken by a handler."""
    caller = None
    if details.caller_name or details.caller_phone:
        caller = Caller(name=details.caller_name, phone=details.caller_phone)
        caller.refresh_keys()
    call = Call(
        consultation_id=details.consultation_id,
        channel=CallChannel.HANDLER,
        handler_id=handler_id,
        caller=caller,
        outcome=details.outcome,
        notes=details.notes,
        callback_due_at=details.callback_due_at if details.outcome == CallOutcome.CALLBACK_NEEDED else None,
    )
    db.session.add(call)
    db.session.flush()
    record_audit(handler_id, "call.logged", "call", call.id, outcome=details.outcome.value)
    return call


def get_call(call_id: int) -> Call | None:
    query = select(Call).where(Call.id == call_id).options(joinedload(Call.caller), joinedload(Call.handler))
    return db.session.scalar(query)


def list_calls(page: int = 1) -> Page[Call]:
    """One page of the call log, newest first."""
    query = (
        select(Call)
        .options(joinedload(Call.caller), joinedload(Call.handler), joinedload(Call.consultation))
        .order_by(Call.started_at.desc(), Call.id.desc())
    )
    return page_of(query, page, count_query=select(Call.id))


def list_open_callbacks() -> list[Call]:
    """Callbacks not yet done, soonest due first."""
    query = (
        select(Call)
        .where(Call.outcome == CallOutcome.CALLBACK_NEEDED, Call.callback_done_at.is_(None))
        .options(joinedload(Call.caller), joinedload(Call.handler), joinedload(Call.consultation))
        .order_by(Call.callback_due_at, Call.id)
    )
    return list(db.session.scalars(query))


def count_callbacks_due(now: datetime) -> int:
    query = select(func.count(Call.id)).where(
        Call.outcome == CallOutcome.CALLBACK_NEEDED, Call.callback_done_at.is_(None), Call.callback_due_at <= now
    )
    return db.session.scalar(query) or 0


@transactional
def mark_callback_done(call: Call, handler_id: int, now: datetime) -> None:
    """Take a call off the callback list."""
    call.callback_done_at = now
    call.callback_done_by_id = handler_id
    record_audit(handler_id, "call.callback_done", "call", call.id)
