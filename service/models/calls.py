"""The call log: every call to the line, taken by a handler or by the phone menu."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.types import UTCDateTime, enum_type, utcnow


class CallChannel(enum.StrEnum):
    HANDLER = "handler"
    PHONE_MENU = "phone_menu"

    @property
    def label(self) -> str:
        return {"handler": "Call handler", "phone_menu": "Phone menu"}[self.value]


class CallOutcome(enum.StrEnum):
    PAPER_COPY = "paper_copy"
    OTHER_FORMAT = "other_format"
    QUESTION_ANSWERED = "question_answered"
    CALLBACK_NEEDED = "callback_needed"
    COMPLAINT = "complaint"
    OTHER = "other"
    INCOMPLETE = "incomplete"  # the phone menu only: the caller hung up part-way
    SURVEY_ANSWERED = "survey_answered"  # the phone menu only: the caller answered the survey by phone

    @property
    def label(self) -> str:
        return CALL_OUTCOME_LABELS[self]


def request_outcome(printed_here: bool) -> CallOutcome:
    """What a call that made a request was for: a paper copy printed here, or another format."""
    return CallOutcome.PAPER_COPY if printed_here else CallOutcome.OTHER_FORMAT


CALL_OUTCOME_LABELS = {
    CallOutcome.PAPER_COPY: "Paper copy requested",
    CallOutcome.OTHER_FORMAT: "Other format requested",
    CallOutcome.QUESTION_ANSWERED: "Question answered",
    CallOutcome.CALLBACK_NEEDED: "Callback needed",
    CallOutcome.COMPLAINT: "Complaint",
    CallOutcome.OTHER: "Other",
    CallOutcome.INCOMPLETE: "Incomplete (caller hung up)",
    CallOutcome.SURVEY_ANSWERED: "Survey answered by phone",
}


class Call(Model):
    __tablename__ = "calls"
    __table_args__ = (
        # The callback list: open callbacks in due order.
        Index("ix_calls_callback_open", "callback_done_at", "callback_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    channel: Mapped[CallChannel] = mapped_column(enum_type(CallChannel), default=CallChannel.HANDLER)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # Indexed: removing a caller row (the phone menu's, once its request has one of its own) checks this column.
    caller_id: Mapped[int | None] = mapped_column(ForeignKey("callers.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    outcome: Mapped[CallOutcome | None] = mapped_column(enum_type(CallOutcome))
    notes: Mapped[str] = mapped_column(Text, default="")
    callback_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    callback_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    callback_done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # Phone-menu calls: Twilio's id, its final status and length in seconds.
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    twilio_status: Mapped[str | None] = mapped_column(String(32))
    duration_seconds: Mapped[int | None]
    # Phone-menu calls: the question last asked and the menu's own bookkeeping (tries, speech confidence,
    # choices). Never personal values: what the caller says goes on their `Caller` row. See service/ivr.
    menu_step: Mapped[str | None] = mapped_column(String(40))
    menu_answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    consultation = relationship("Consultation")
    handler = relationship("StaffUser", foreign_keys=[handler_id])
    callback_done_by = relationship("StaffUser", foreign_keys=[callback_done_by_id])
    caller = relationship("Caller")

    @property
    def callback_open(self) -> bool:
        return self.outcome == CallOutcome.CALLBACK_NEEDED and self.callback_done_at is None
