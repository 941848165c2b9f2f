"""Print batches: one print-ready PDF of many packs, and which pack went into which batch."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import db
from service.models.requests import PrintFormat
from service.models.states import StateMachine
from service.models.types import UTCDateTime, enum_type, utcnow


class BatchStatus(enum.StrEnum):
    BUILDING = "building"
    READY = "ready"
    SENT_TO_PRINT = "sent_to_print"
    POSTED = "posted"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


B = BatchStatus
BATCH_STATES = StateMachine[BatchStatus](
    "print batch",
    {
        None: frozenset({B.BUILDING}),
        B.BUILDING: frozenset({B.READY, B.FAILED, B.CANCELLED}),
        B.READY: frozenset({B.SENT_TO_PRINT, B.CANCELLED}),
        B.FAILED: frozenset({B.CANCELLED}),  # its packs go back to waiting for the next print run
        B.SENT_TO_PRINT: frozenset({B.POSTED, B.READY}),  # ready again: "sent to print" undone the same day
        B.POSTED: frozenset(),
        B.CANCELLED: frozenset(),
    },
)
del B


class PrintBatch(db.Model):
    __tablename__ = "print_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    format: Mapped[PrintFormat] = mapped_column(enum_type(PrintFormat))
    status: Mapped[BatchStatus] = mapped_column(enum_type(BatchStatus), default=BatchStatus.BUILDING, index=True)
    pack_count: Mapped[int] = mapped_column(default=0)
    page_count: Mapped[int] = mapped_column(default=0)
    packs_built: Mapped[int] = mapped_column(default=0)  # progress while building
    file_key: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_to_print_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    posted_on: Mapped[date | None]
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    consultation = relationship("Consultation")
    created_by = relationship("StaffUser")

    @property
    def sheet_count(self) -> int:
        return self.page_count // 2  # every pack is padded to whole sheets, printed double-sided

    @property
    def name(self) -> str:
        return f"Batch {self.id} ({self.format.label.lower()})"


class BatchItem(db.Model):
    """One printing of one pack. The unique constraint is what keeps a pack out of two batches at once."""

    __tablename__ = "batch_items"
    __table_args__ = (
        UniqueConstraint("pack_id", "print_round", name="uq_batch_items_pack_round"),
        Index("ix_batch_items_batch_position", "batch_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("print_batches.id"))
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id"))
    print_round: Mapped[int]  # 1 for the first printing; a reprint after loss in the post is 2, and so on
    position: Mapped[int] = mapped_column(default=0)  # order in the batch: by postcode

    batch = relationship("PrintBatch")
    pack = relationship("Pack")
