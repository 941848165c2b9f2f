"""Texts with the reference: one per request at most, sent through Twilio's Messages API.

No phone number is kept here: the text goes to the request's caller's number, read when it is sent, so
erasing the caller leaves nothing personal in this table (Twilio's own copy is deleted by the erasure too).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.calls import CallChannel
from service.models.states import StateMachine
from service.models.types import UTCDateTime, enum_type, utcnow


class TextStatus(enum.StrEnum):
    REQUESTED = "requested"  # waiting for the worker
    SENDING = "sending"  # handed to Twilio, no answer yet (a timed-out attempt stays here until looked up)
    SENT = "sent"  # Twilio took it: it has a message SID
    DELIVERED = "delivered"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return TEXT_STATUS_LABELS[self]


TEXT_STATUS_LABELS = {
    TextStatus.REQUESTED: "Waiting to be sent",
    TextStatus.SENDING: "Being sent",
    TextStatus.SENT: "Sent, not yet delivered",
    TextStatus.DELIVERED: "Delivered",
    TextStatus.FAILED: "Not delivered",
}

T = TextStatus
TEXT_STATES = StateMachine[TextStatus](
    "text",
    {
        None: frozenset({T.REQUESTED}),
        T.REQUESTED: frozenset({T.SENDING, T.FAILED}),
        # Sent: Twilio took it (or a lookup after a timeout found it); failed: Twilio refused the number.
        T.SENDING: frozenset({T.SENT, T.FAILED}),
        T.SENT: frozenset({T.DELIVERED, T.FAILED}),
        T.DELIVERED: frozenset(),
        T.FAILED: frozenset(),
    },
)
del T


class ReferenceText(Model):
    """The text message with a request's reference and the online survey's address."""

    __tablename__ = "reference_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One text per request, said by the database: a second offer accepted, a double click, a retried
    # webhook all find the first row (the idempotency key is the request).
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), unique=True)
    channel: Mapped[CallChannel] = mapped_column(enum_type(CallChannel))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    status: Mapped[TextStatus] = mapped_column(enum_type(TextStatus), default=TextStatus.REQUESTED)
    message_sid: Mapped[str | None] = mapped_column(String(34), unique=True)
    error_code: Mapped[int | None]  # Twilio's, e.g. 21211 invalid number, 21614 not a mobile, 30003 unreachable
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sending_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Erasure of the caller: Twilio's copy (which holds the number) is deleted, then this is set.
    forgotten_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    request = relationship("PaperRequest")
    requested_by = relationship("StaffUser")
