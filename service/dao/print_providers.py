"""Packs a print provider posts itself: what it was sent, and what it says of each letter since."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from service.dao import transactional
from service.dao.requests import change_request_status
from service.extensions import db
from service.models import Pack, RequestStatus
from service.models.types import utcnow


@transactional
def record_sent(pack: Pack, label: str, provider_reference: str, status: str) -> None:
    """The provider (called `label` in the request's history) took the pack: keep its reference and status."""
    pack.provider_reference = provider_reference
    pack.provider_status = status
    pack.provider_status_at = utcnow()
    request = pack.paper_request
    if all(p.provider_reference for p in request.live_packs) and request.status == RequestStatus.PACK_READY:
        change_request_status(request, RequestStatus.SENT_TO_PRINT, None, label, note=f"Sent to {label}")


@transactional
def record_provider_status(
    pack: Pack, label: str, status: str, *, posted: Collection[str], failed: Collection[str]
) -> None:
    """The provider's latest word on the letter (`posted` and `failed` are its statuses that say so): a
    refusal fails the request; the request is posted when every copy is."""
    if status == pack.provider_status:
        return
    pack.provider_status = status
    pack.provider_status_at = utcnow()
    request = pack.paper_request
    if status in failed and request.status == RequestStatus.SENT_TO_PRINT:
        request.failure_reason = f"{label}: {status}"
        change_request_status(request, RequestStatus.PACK_FAILED, None, label, note=f"{label} said {status}")
    elif (
        status in posted
        and request.status == RequestStatus.SENT_TO_PRINT
        and all(p.provider_status in posted for p in request.live_packs)
    ):
        change_request_status(request, RequestStatus.POSTED, None, label, note=f"Printed and posted by {label}")


def packs_awaiting_status(provider: str, final_statuses: Collection[str]) -> list[Pack]:
    """Packs `provider` has taken whose letters are not yet posted or failed (by its `final_statuses`)."""
    query = (
        select(Pack)
        .where(
            Pack.provider == provider,
            Pack.provider_reference.is_not(None),
            Pack.provider_status.not_in(final_statuses),
        )
        .order_by(Pack.id)
    )
    return list(db.session.scalars(query))
