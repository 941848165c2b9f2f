"""Callbacks with one click: each try's status by compare-and-set; a connected call takes the callback off the list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update

from service.dao import rows_changed, transactional
from service.dao.audit import record_audit
from service.extensions import db
from service.models import CALLBACK_CALL_STATES, Call, CallbackCall, CallbackCallStatus

# A try still "ringing" after this long lost its status callbacks (Twilio gave up on us): it no longer
# blocks a new try.
STALE_AFTER = timedelta(minutes=10)
ERROR_CODE_MAX = 10**9


class CallbackInProgress(RuntimeError):
    """Another try at this callback is ringing now."""


def get_callback_call(callback_call_id: int) -> CallbackCall | None:
    return db.session.get(CallbackCall, callback_call_id)


def load_callback_call(callback_call_id: int) -> CallbackCall:
    """The try `callback_call_id`, just made by the click that rings it: NoResultFound if not."""
    return db.session.get_one(CallbackCall, callback_call_id)


@transactional
def end_stale_tries(call_id: int, now: datetime) -> None:
    """Free a callback whose last try never heard back from Twilio."""
    db.session.execute(
        update(CallbackCall)
        .where(
            CallbackCall.call_id == call_id, CallbackCall.live.is_(True), CallbackCall.started_at < now - STALE_AFTER
        )
        .values(status=CallbackCallStatus.FAILED, live=None, ended_at=now)
        .execution_options(synchronize_session=False)
    )


@transactional
def start_callback_call(call_id: int, handler_id: int, now: datetime) -> CallbackCall:
    """A new try, ringing the handler; the unique live try per callback refuses a second one at once."""
    CALLBACK_CALL_STATES.check(None, CallbackCallStatus.RINGING_HANDLER)
    attempt = CallbackCall(call_id=call_id, handler_id=handler_id, started_at=now, live=True)
    db.session.add(attempt)
    db.session.flush()  # the unique constraint speaks here (IntegrityError: another try is live)
    record_audit(handler_id, "call.callback_call_started", "call", call_id)
    return attempt


@transactional
def set_handler_call_sid(callback_call_id: int, sid: str) -> None:
    db.session.execute(
        update(CallbackCall)
        .where(CallbackCall.id == callback_call_id, CallbackCall.handler_call_sid.is_(None))
        .values(handler_call_sid=sid)
    )


@transactional
def move_callback_call(
    callback_call_id: int, new: CallbackCallStatus, now: datetime, error_code: int | None = None, **values
) -> bool:
    """Compare-and-set: move one try to `new` from a status the state machine allows; a final status ends it."""
    if error_code is not None and 0 <= error_code < ERROR_CODE_MAX:
        values["error_code"] = error_code
    if not new.live:
        values.update(live=None, ended_at=now)
    result = rows_changed(
        update(CallbackCall)
        .where(CallbackCall.id == callback_call_id, CallbackCall.status.in_(CALLBACK_CALL_STATES.sources(new)))
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    return result == 1


@transactional
def callback_call_connected(callback_call_id: int, now: datetime, duration: int | None) -> bool:
    """The caller answered and the call completed: the try is done, and so is the callback (once)."""
    attempt = get_callback_call(callback_call_id)
    if attempt is None or not move_callback_call(
        attempt.id, CallbackCallStatus.COMPLETED, now, duration_seconds=duration
    ):
        return False
    done = rows_changed(
        update(Call)
        .where(Call.id == attempt.call_id, Call.callback_done_at.is_(None))
        .values(callback_done_at=now, callback_done_by_id=attempt.handler_id)
        .execution_options(synchronize_session=False)
    )
    if done:
        record_audit(attempt.handler_id, "call.callback_done", "call", attempt.call_id, by_phone=True)
    return True


def last_tries(call_ids: Iterable[int]) -> dict[int, CallbackCall]:
    """The latest try at each of these callbacks, for the callback list."""
    ids = list(call_ids)
    if not ids:
        return {}
    tries = db.session.scalars(
        select(CallbackCall).where(CallbackCall.call_id.in_(ids)).order_by(CallbackCall.started_at, CallbackCall.id)
    )
    return {attempt.call_id: attempt for attempt in tries}
