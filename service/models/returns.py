"""Returned paper forms, their keyings and adjudications. Answers only: no names, addresses or phones here."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.states import StateMachine
from service.models.types import UTCDateTime, enum_type, utcnow

# A keyed answer is a string: an option code ("3"), a missing code ("-1"), option codes joined by ";"
# for a multiple choice ("1;4"), or free text typed verbatim.
Answers = dict[str, str]


class ReturnStatus(enum.StrEnum):
    RECEIVED = "received"
    KEYED_ONCE = "keyed_once"
    VERIFIED = "verified"
    IN_DISPUTE = "in_dispute"

    @property
    def label(self) -> str:
        return RETURN_STATUS_LABELS[self]


RETURN_STATUS_LABELS = {
    ReturnStatus.RECEIVED: "Waiting to be keyed",
    ReturnStatus.KEYED_ONCE: "Keyed once",
    ReturnStatus.VERIFIED: "Verified",
    ReturnStatus.IN_DISPUTE: "In dispute",
}

# received ──first entry──> keyed_once ──second entry agrees──> verified
#     │                         └──────second entry differs──> in_dispute ──adjudicated──> verified
#     └──first entry, single-entry mode, not in the sample──> verified
RETURN_STATES = StateMachine[ReturnStatus](
    "return",
    {
        None: frozenset({ReturnStatus.RECEIVED}),
        ReturnStatus.RECEIVED: frozenset({ReturnStatus.KEYED_ONCE, ReturnStatus.VERIFIED}),
        ReturnStatus.KEYED_ONCE: frozenset({ReturnStatus.VERIFIED, ReturnStatus.IN_DISPUTE}),
        ReturnStatus.IN_DISPUTE: frozenset({ReturnStatus.VERIFIED}),
        ReturnStatus.VERIFIED: frozenset(),
    },
)


class Return(Model):
    """One paper form that came back, referenced (from a pack) or not."""

    __tablename__ = "returns"
    __table_args__ = (
        Index("ix_returns_consultation_status", "consultation_id", "status"),
        # A pack has one return that counts; later copies of it point at that one. Held by the database, so two
        # receipts at the same moment (a scan and a barcode, or two scan jobs) cannot both be the original.
        Index(
            "uq_returns_one_original_per_pack",
            "pack_id",
            unique=True,
            sqlite_where=text("pack_id IS NOT NULL AND duplicate_of_id IS NULL"),
            postgresql_where=text("pack_id IS NOT NULL AND duplicate_of_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    pack_id: Mapped[int | None] = mapped_column(ForeignKey("packs.id"), index=True)  # None: unreferenced
    received_on: Mapped[date]
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    is_late: Mapped[bool] = mapped_column(default=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    status: Mapped[ReturnStatus] = mapped_column(enum_type(ReturnStatus), default=ReturnStatus.RECEIVED)
    # Decided when the first entry is saved: always under double entry, for the sample under single entry.
    second_entry_required: Mapped[bool | None]
    disagreement_count: Mapped[int | None]  # fields that differed when the two entries were compared
    final_answers: Mapped[Answers | None] = mapped_column(JSON)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consultation = relationship("Consultation")
    pack = relationship("Pack")
    received_by = relationship("StaffUser")
    duplicate_of: Mapped[Return | None] = relationship(remote_side=[id])
    keyings: Mapped[list[Keying]] = relationship(back_populates="return_", order_by="Keying.entry_number")
    adjudications: Mapped[list[Adjudication]] = relationship(back_populates="return_", order_by="Adjudication.id")

    @property
    def reference(self) -> str | None:
        return self.pack.reference if self.pack else None

    def keying(self, entry_number: int) -> Keying | None:
        return next((k for k in self.keyings if k.entry_number == entry_number), None)

    def entry(self, entry_number: int) -> Keying:
        """Entry 1 or 2 where the return's status says it exists (a return in dispute has both)."""
        keying = self.keying(entry_number)
        if keying is None:
            raise LookupError(f"return {self.id} has no entry {entry_number}")
        return keying


class Keying(Model):
    """One person's entry of one return's answers; a second entry is a new row, never an overwrite."""

    __tablename__ = "keyings"
    __table_args__ = (
        UniqueConstraint("return_id", "entry_number", name="uq_keyings_return_entry"),
        CheckConstraint("entry_number IN (1, 2)", name="entry_1_or_2"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"))
    # None for an entry read from a scan: each value's decider is then on its scan mark (machine or person).
    keyer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    source: Mapped[str] = mapped_column(String(8), default="keyed", server_default="keyed")  # "keyed" or "scanned"
    entry_number: Mapped[int]
    answers: Mapped[Answers] = mapped_column(JSON)
    questionnaire_version: Mapped[int | None]  # the version of the keying form the answers were typed into
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    return_: Mapped[Return] = relationship(back_populates="keyings")
    keyer = relationship("StaffUser")


class Adjudication(Model):
    """A supervisor's decision on one question where the two entries differed."""

    __tablename__ = "adjudications"
    __table_args__ = (UniqueConstraint("return_id", "question_code", name="uq_adjudications_return_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"))
    question_code: Mapped[str] = mapped_column(String(80))
    chosen_from: Mapped[str] = mapped_column(String(16))  # "entry_1", "entry_2" or "typed"
    value: Mapped[str] = mapped_column(Text)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    return_: Mapped[Return] = relationship(back_populates="adjudications")
    supervisor = relationship("StaffUser")
