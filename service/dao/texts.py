"""Texts with the reference: made once per request, moved through their statuses by compare-and-set."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from service.dao import rows_changed, transactional
from service.dao.audit import record_audit
from service.extensions import db
from service.models import TEXT_STATES, CallChannel, ReferenceText, TextStatus

SEND_AFTER_COMMIT = "send_text_after_commit"
FORGET_AFTER_COMMIT = "forget_text_after_commit"
ERROR_CODE_MAX = 10**9


def get_text(text_id: int) -> ReferenceText | None:
    return db.session.get(ReferenceText, text_id)


def text_of_request(request_id: int) -> ReferenceText | None:
    return db.session.scalar(select(ReferenceText).where(ReferenceText.request_id == request_id))


@transactional
def _add_text(request_id: int, channel: CallChannel, staff_id: int | None) -> ReferenceText:
    text = ReferenceText(request_id=request_id, channel=channel, requested_by_id=staff_id)
    TEXT_STATES.check(None, TextStatus.REQUESTED)
    db.session.add(text)
    db.session.flush()
    if staff_id is not None:
        record_audit(staff_id, "text.requested", "request", request_id)
    db.session.info.setdefault(SEND_AFTER_COMMIT, set()).add(text.id)  # queued once this commits
    return text


def request_text(request_id: int, channel: CallChannel, staff_id: int | None = None) -> tuple[ReferenceText, bool]:
    """The request's one text, made now (and queued to send) unless it exists; return it and whether it is new.

    The unique request id decides, not a look first: two offers accepted at once make one row.
    """
    earlier = text_of_request(request_id)
    if earlier is not None:
        return earlier, False
    try:
        return _add_text(request_id, channel, staff_id), True
    except IntegrityError:
        earlier = text_of_request(request_id)
        if earlier is None:
            raise
        return earlier, False


@transactional
def claim_for_sending(text_id: int, now: datetime) -> bool:
    """Take a text to hand to Twilio: requested, or sending already (an attempt whose answer never came, and
    which a lookup found Twilio never took). False when it is past that (sent, failed)."""
    result = rows_changed(
        update(ReferenceText)
        .where(
            ReferenceText.id == text_id,
            ReferenceText.status.in_([TextStatus.REQUESTED, TextStatus.SENDING]),
            ReferenceText.forgotten_at.is_(None),
        )
        .values(status=TextStatus.SENDING, attempts=ReferenceText.attempts + 1, sending_at=now, status_at=now)
        .execution_options(synchronize_session=False)
    )
    return result == 1


def _move(text_id: int, new: TextStatus, **values) -> bool:
    """Compare-and-set: move the text to `new` only from a status the state machine allows."""
    result = db.session.execute(
        update(ReferenceText)
        .where(ReferenceText.id == text_id, ReferenceText.status.in_(TEXT_STATES.sources(new)))
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    return result == 1


@transactional
def mark_text_sent(text_id: int, message_sid: str, now: datetime) -> bool:
    """Twilio took the text (or a lookup found it had): keep its SID, which its status callbacks carry."""
    return _move(text_id, TextStatus.SENT, message_sid=message_sid, sent_at=now, status_at=now)


@transactional
def mark_text_failed(text_id: int, error_code: int | None, reason: str, now: datetime) -> bool:
    code = error_code if error_code is not None and 0 <= error_code < ERROR_CODE_MAX else None
    return _move(text_id, TextStatus.FAILED, error_code=code, failure_reason=reason[:300], status_at=now)


# Twilio's message statuses that end a text, and what they mean here.
FINAL_MESSAGE_STATUSES = {
    "delivered": TextStatus.DELIVERED,
    "undelivered": TextStatus.FAILED,
    "failed": TextStatus.FAILED,
}


@transactional
def record_text_status(message_sid: str, message_status: str, error_code: int | None, now: datetime) -> bool:
    """A status callback from Twilio: delivered or failed is recorded; others (sent, queued) change nothing."""
    new = FINAL_MESSAGE_STATUSES.get(message_status)
    text = db.session.scalar(select(ReferenceText).where(ReferenceText.message_sid == message_sid))
    if new is None or text is None:
        return False
    if new == TextStatus.FAILED:
        reason = f"Twilio: {message_status}" + (f" (error {error_code})" if error_code else "")
        return mark_text_failed(text.id, error_code, reason, now)
    return _move(text.id, new, status_at=now)


def text_ids_due() -> list[int]:
    """Texts the worker still has to send (or to look up): for the sweep."""
    query = select(ReferenceText.id).where(
        ReferenceText.status.in_([TextStatus.REQUESTED, TextStatus.SENDING]), ReferenceText.forgotten_at.is_(None)
    )
    return list(db.session.scalars(query))


def forget_texts_of_requests(request_ids: Iterable[int], now: datetime) -> None:
    """Erasure: nothing more is sent, and Twilio's copy of each text sent (which holds the number) is deleted
    once this commits. Joins the erasure's transaction."""
    texts = db.session.scalars(
        select(ReferenceText).where(
            ReferenceText.request_id.in_(list(request_ids)), ReferenceText.forgotten_at.is_(None)
        )
    )
    for text in texts:
        text.forgotten_at = now
        if text.status in (TextStatus.REQUESTED, TextStatus.SENDING):
            text.status, text.failure_reason, text.status_at = TextStatus.FAILED, "Not sent: the caller was erased", now
        if text.message_sid:
            db.session.info.setdefault(FORGET_AFTER_COMMIT, set()).add(text.id)


def forgotten_text_ids_at_twilio() -> list[int]:
    """Erased texts whose copy at Twilio may still exist (the job clears message_sid once deleted)."""
    query = select(ReferenceText.id).where(
        ReferenceText.forgotten_at.is_not(None), ReferenceText.message_sid.is_not(None)
    )
    return list(db.session.scalars(query))


@transactional
def text_deleted_at_twilio(text_id: int) -> None:
    db.session.execute(update(ReferenceText).where(ReferenceText.id == text_id).values(message_sid=None))
