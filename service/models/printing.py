"""Print batches: one print-ready PDF of many packs, and which pack went into which batch."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
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


# A batch in one of these holds its packs: none of them may be in another such batch for the same print round.
# A failed batch keeps them until it is cancelled, so a supervisor decides what happens to them.
HOLDING_STATUSES = (
    BatchStatus.BUILDING,
    BatchStatus.READY,
    BatchStatus.SENT_TO_PRINT,
    BatchStatus.POSTED,
    BatchStatus.FAILED,
)
_HOLDING_SQL = text("batch_status IN ({})".format(", ".join(f"'{s.value}'" for s in HOLDING_STATUSES)))


class PrintBatch(Model):
    __tablename__ = "print_batches"
    # The target of batch_items' (batch_id, batch_status) key, which copies every status change to the items.
    __table_args__ = (UniqueConstraint("id", "status", name="uq_print_batches_id_status"),)

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


class BatchItem(Model):
    """One printing of one pack.

    `batch_status` is its batch's status, kept equal by the database itself (a foreign key on (batch_id,
    batch_status) with ON UPDATE CASCADE on PostgreSQL, a trigger on SQLite), so the partial unique index
    can say what the code must never break: a pack is in at most one holding batch per print round.
    A batch change that would break it (a cancelled batch made live again) fails in the database.
    """

    __tablename__ = "batch_items"
    __table_args__ = (
        ForeignKeyConstraint(
            ["batch_id", "batch_status"],
            ["print_batches.id", "print_batches.status"],
            onupdate="CASCADE",
            name="fk_batch_items_batch_status_print_batches",
        ),
        Index(
            "uq_batch_items_holding_pack_round",
            "pack_id",
            "print_round",
            unique=True,
            sqlite_where=_HOLDING_SQL,
            postgresql_where=_HOLDING_SQL,
        ),
        Index("ix_batch_items_batch_position", "batch_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("print_batches.id"))
    batch_status: Mapped[BatchStatus] = mapped_column(enum_type(BatchStatus), default=BatchStatus.BUILDING)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id"))
    print_round: Mapped[int]  # 1 for the first printing; a reprint after loss in the post is 2, and so on
    position: Mapped[int] = mapped_column(default=0)  # order in the batch: by postcode

    batch = relationship("PrintBatch", foreign_keys=[batch_id])
    pack = relationship("Pack")
