"""Packs sent to GOV.UK Notify: what was sent, and what Notify says of it since."""

from __future__ import annotations

from sqlalchemy import select

from service.dao import transactional
from service.dao.requests import change_request_status
from service.extensions import db
from service.models import Pack, RequestStatus
from service.models.types import utcnow

NOTIFY = "GOV.UK Notify"
FINAL = {"received", "validation-failed", "virus-scan-failed", "technical-failure", "permanent-failure", "cancelled"}


@transactional
def record_notify_sent(pack: Pack, notify_id: str, status: str) -> None:
    pack.notify_id = notify_id
    pack.notify_status = status
    pack.notify_status_at = utcnow()
    request = pack.request
    if all(p.notify_id for p in request.live_packs) and request.status == RequestStatus.PACK_READY:
        change_request_status(request, RequestStatus.SENT_TO_PRINT, None, NOTIFY, note="Sent to GOV.UK Notify")


@transactional
def record_notify_status(pack: Pack, status: str, *, posted: bool, failed: bool) -> None:
    if status == pack.notify_status:
        return
    pack.notify_status = status
    pack.notify_status_at = utcnow()
    request = pack.request
    if failed and request.status == RequestStatus.SENT_TO_PRINT:
        request.failure_reason = f"GOV.UK Notify: {status}"
        change_request_status(request, RequestStatus.PACK_FAILED, None, NOTIFY, note=f"Notify said {status}")
    elif (
        posted
        and request.status == RequestStatus.SENT_TO_PRINT
        and all(p.notify_status == "received" for p in request.live_packs)
    ):
        change_request_status(request, RequestStatus.POSTED, None, NOTIFY, note="Printed and posted by GOV.UK Notify")


def packs_awaiting_notify() -> list[Pack]:
    """Packs with Notify whose letters are not yet posted or failed."""
    query = select(Pack).where(Pack.notify_id.is_not(None), Pack.notify_status.not_in(FINAL)).order_by(Pack.id)
    return list(db.session.scalars(query))
