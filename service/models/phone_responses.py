"""Surveys answered on the phone: one response per reference, its answers, and the spoken answers' recordings.

Keypad and recognised answers are final as given; a spoken answer (to a written question) is recorded, Twilio's
transcription kept as a draft, and a data-entry person types or checks it from the recording. The recordings are
personal data (a caller's voice): they are erased with the caller and on the retention schedule.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.returns import Answers
from service.models.states import StateMachine
from service.models.types import UTCDateTime, enum_type, utcnow


class PhoneResponseStatus(enum.StrEnum):
    ANSWERING = "answering"  # the caller has not reached the last question (they may ring again to go on)
    AWAITING_CHECK = "awaiting_check"  # every question asked; spoken answers wait for a person
    VERIFIED = "verified"  # counts in the export

    @property
    def label(self) -> str:
        return PHONE_RESPONSE_STATUS_LABELS[self]


PHONE_RESPONSE_STATUS_LABELS = {
    PhoneResponseStatus.ANSWERING: "Being answered",
    PhoneResponseStatus.AWAITING_CHECK: "Spoken answers to check",
    PhoneResponseStatus.VERIFIED: "Verified",
}

# answering ──last question asked──> verified (nothing spoken)
#     └──────last question asked──> awaiting_check ──spoken answers typed──> verified
PHONE_RESPONSE_STATES = StateMachine[PhoneResponseStatus](
    "phone response",
    {
        None: frozenset({PhoneResponseStatus.ANSWERING}),
        PhoneResponseStatus.ANSWERING: frozenset({PhoneResponseStatus.AWAITING_CHECK, PhoneResponseStatus.VERIFIED}),
        PhoneResponseStatus.AWAITING_CHECK: frozenset({PhoneResponseStatus.VERIFIED}),
        PhoneResponseStatus.VERIFIED: frozenset(),
    },
)


class PhoneResponse(Model):
    """One caller's survey answered by phone, over one or more calls, found again by its reference."""

    __tablename__ = "phone_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    questionnaire_version: Mapped[int]
    status: Mapped[PhoneResponseStatus] = mapped_column(
        enum_type(PhoneResponseStatus), default=PhoneResponseStatus.ANSWERING
    )
    # The index of the question to ask next in the definition's order; the number of questions once finished.
    # Moved only by compare-and-set (see dao.phone_responses), so a retried webhook never answers twice.
    position: Mapped[int] = mapped_column(default=0)
    answers: Mapped[Answers] = mapped_column(JSON, default=dict)
    first_call_id: Mapped[int | None] = mapped_column(
        ForeignKey("calls.id"), unique=True
    )  # one survey started per call
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consultation = relationship("Consultation")
    checked_by = relationship("StaffUser")
    recordings: Mapped[list[PhoneRecording]] = relationship(back_populates="response", order_by="PhoneRecording.id")

    def recording_for(self, question_code: str) -> PhoneRecording | None:
        return next((r for r in self.recordings if r.question_code == question_code), None)


class PhoneRecording(Model):
    """A spoken answer to one written question: Twilio's recording and its transcription (the draft)."""

    __tablename__ = "phone_recordings"
    __table_args__ = (UniqueConstraint("response_id", "question_code", name="uq_phone_recordings_response_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("phone_responses.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)  # the call it was spoken on
    question_code: Mapped[str] = mapped_column(String(80))
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    recording_url: Mapped[str | None] = mapped_column(String(500))  # None once erased
    duration_seconds: Mapped[int | None]
    draft_text: Mapped[str] = mapped_column(Text, default="")  # Twilio's transcription, until a person checks it
    draft_status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, completed, failed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    response: Mapped[PhoneResponse] = relationship(back_populates="recordings")
