"""Braille and audio sent by email or text: claiming a copy's message, recording what became of it, finding a
download link by the hash of its secret, and revoking links when the file goes."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select, update

from service.dao import transactional
from service.dao.requests import change_request_status
from service.extensions import db
from service.models import (
    AccessibleFile,
    Delivery,
    DeliveryStatus,
    FileDelivery,
    Pack,
    PaperRequest,
    RequestStatus,
)
from service.models.types import utcnow

SENDER = "Braille and audio worker"


def link_digest(token: str) -> str:
    """What is stored of a download link: the SHA-256 of its secret part (the link itself is only in the message)."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@transactional
def claim_delivery(pack_id: int, channel: Delivery, digest: str | None, expires_at: datetime | None) -> int | None:
    """The delivery row of one copy, ready to send, with this link; None if it was already sent.

    A retry after an attempt whose outcome is unknown gives the copy a fresh link: the old one goes (it may
    never have reached anyone, and a link that did is replaced by the one in the newer message)."""
    delivery = db.session.scalar(select(FileDelivery).where(FileDelivery.pack_id == pack_id).with_for_update())
    if delivery is None:
        delivery = FileDelivery(pack_id=pack_id, channel=channel)
        db.session.add(delivery)
    elif delivery.status == DeliveryStatus.SENT:
        return None
    # Failed before, then the request was corrected and made again: a new attempt.
    delivery.channel, delivery.status, delivery.failure_reason, delivery.revoked_at = (
        channel,
        DeliveryStatus.WAITING,
        "",
        None,
    )
    delivery.link_sha256, delivery.link_expires_at = digest, expires_at
    delivery.attempts = (delivery.attempts or 0) + 1
    db.session.flush()
    return delivery.id


@transactional
def mark_delivery_sent(delivery_id: int, message_id: str) -> None:
    db.session.execute(
        update(FileDelivery)
        .where(FileDelivery.id == delivery_id, FileDelivery.status == DeliveryStatus.WAITING)
        .values(status=DeliveryStatus.SENT, message_id=message_id[:200], sent_at=utcnow())
    )


@transactional
def fail_delivery(request: PaperRequest, delivery_id: int | None, reason: str) -> None:
    """The copy cannot be sent this way (an address refused, no address): its link goes, and the request shows
    why (a handler can correct it, for example to post it instead)."""
    if delivery_id is not None:
        db.session.execute(
            update(FileDelivery)
            .where(FileDelivery.id == delivery_id)
            .values(status=DeliveryStatus.FAILED, failure_reason=reason, link_sha256=None, revoked_at=utcnow())
        )
    if request.status == RequestStatus.PACK_READY:
        request.failure_reason = reason[:300]
        change_request_status(request, RequestStatus.PACK_FAILED, None, SENDER, note=reason[:200])


@transactional
def mark_request_delivered(request: PaperRequest) -> None:
    """Every copy went by email or text: the request is done, like an alternative format sent by hand."""
    if request.status == RequestStatus.PACK_READY:
        change_request_status(
            request, RequestStatus.ALTERNATIVE_FORMAT_SENT, None, SENDER, note=f"Sent: {request.delivery.label}"
        )


def request_ids_waiting_for_delivery() -> list[int]:
    """Braille and audio made and to be sent by email or text (the sweep queues their job if it was lost)."""
    query = (
        select(PaperRequest.id)
        .where(PaperRequest.status == RequestStatus.PACK_READY, PaperRequest.delivery != Delivery.POST)
        .order_by(PaperRequest.id)
    )
    return list(db.session.scalars(query))


def delivery_by_link(digest: str, now: datetime) -> tuple[FileDelivery, AccessibleFile] | None:
    """The delivery and file a link opens: sent, not revoked, not expired, and the file still held."""
    row = db.session.execute(
        select(FileDelivery, AccessibleFile)
        .join(AccessibleFile, AccessibleFile.pack_id == FileDelivery.pack_id)
        .where(
            FileDelivery.link_sha256 == digest,
            FileDelivery.revoked_at.is_(None),
            FileDelivery.link_expires_at > now,
            AccessibleFile.file_key.is_not(None),
        )
    ).first()
    return (row[0], row[1]) if row else None


@transactional
def count_download(delivery_id: int) -> None:
    db.session.execute(
        update(FileDelivery).where(FileDelivery.id == delivery_id).values(downloads=FileDelivery.downloads + 1)
    )


def revoke_links_of_packs(pack_ids) -> None:
    """The files go (erasure, retention, a correction, a cancellation): so do their download links, and
    nothing more is sent. Joins the caller's transaction."""
    now = utcnow()
    db.session.execute(
        update(FileDelivery)
        .where(FileDelivery.pack_id.in_(list(pack_ids)), FileDelivery.revoked_at.is_(None))
        .values(link_sha256=None, revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(FileDelivery)
        .where(FileDelivery.pack_id.in_(list(pack_ids)), FileDelivery.status == DeliveryStatus.WAITING)
        .values(status=DeliveryStatus.FAILED, failure_reason="Not sent: the file was withdrawn")
        .execution_options(synchronize_session=False)
    )


def deliveries_by_pack(pack_ids: list[int]) -> dict[int, FileDelivery]:
    if not pack_ids:
        return {}
    return {d.pack_id: d for d in db.session.scalars(select(FileDelivery).where(FileDelivery.pack_id.in_(pack_ids)))}


def pack_of(delivery: FileDelivery) -> Pack:
    return db.session.get_one(Pack, delivery.pack_id)  # a delivery's pack is never deleted


def texts_to_forget_at_twilio() -> list[int]:
    """Download-link texts whose copy at Twilio (the number and the link) is to go: their link was revoked."""
    query = select(FileDelivery.id).where(
        FileDelivery.channel == Delivery.TEXT,
        FileDelivery.revoked_at.is_not(None),
        FileDelivery.message_id.is_not(None),
    )
    return list(db.session.scalars(query))


def get_delivery(delivery_id: int) -> FileDelivery | None:
    return db.session.get(FileDelivery, delivery_id)


@transactional
def text_forgotten_at_twilio(delivery_id: int) -> None:
    db.session.execute(update(FileDelivery).where(FileDelivery.id == delivery_id).values(message_id=None))
