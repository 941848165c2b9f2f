"""Braille and audio sent as the caller asks: by post (the print run), by email, or as a download link by text.

No email address or phone number is kept here: each is read from the request's caller when the message is
sent, so erasing the caller leaves nothing personal in this table. A download link is kept only as the
SHA-256 of its secret part: the link itself is in the message and nowhere else.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.types import UTCDateTime, enum_type, utcnow


class Delivery(enum.StrEnum):
    POST = "post"
    EMAIL = "email"
    TEXT = "text"

    @property
    def label(self) -> str:
        return DELIVERY_LABELS[self]


DELIVERY_LABELS = {
    Delivery.POST: "By post",
    Delivery.EMAIL: "By email",
    Delivery.TEXT: "A download link by text",
}


class DeliveryStatus(enum.StrEnum):
    WAITING = "waiting"
    SENT = "sent"
    FAILED = "failed"


class FileDelivery(Model):
    """One pack's braille or audio file sent by email or text (a BRF attached; an MP3 as a download link)."""

    __tablename__ = "file_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id"), unique=True)  # one message per copy
    channel: Mapped[Delivery] = mapped_column(enum_type(Delivery))
    status: Mapped[DeliveryStatus] = mapped_column(enum_type(DeliveryStatus), default=DeliveryStatus.WAITING)
    # The download link's secret, hashed; None for an attached BRF and once revoked (erasure, a correction).
    link_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    link_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    downloads: Mapped[int] = mapped_column(default=0)
    message_id: Mapped[str | None] = mapped_column(String(200))  # Twilio's message SID, or the email's Message-ID
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    pack = relationship("Pack")
