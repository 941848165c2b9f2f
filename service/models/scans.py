"""Scanned returns: each uploaded file, each page in it, and each box read on a page (with who decided it).

Scan images are personal data (handwriting, sometimes a name): they live in the file store, keyed from these
rows, and go when the rows go.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.types import UTCDateTime, enum_type, utcnow


class ScanStatus(enum.StrEnum):
    QUEUED = "queued"
    READING = "reading"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ScanPageStatus(enum.StrEnum):
    READ = "read"  # identified and read into its return
    TO_PLACE = "to_place"  # no barcode could be read: a person types the reference
    NOT_ALIGNED = "not_aligned"  # identified, but too damaged to line up: keyed by hand from the paper
    DUPLICATE = "duplicate"  # this page of this return was already read
    FOREIGN = "foreign"  # a reference no pack here has
    NO_ANSWERS = "no_answers"  # a page of the pack with nothing to read (letter, return page)
    BLANK = "blank"  # nothing on it
    ALREADY_KEYED = "already_keyed"  # its return already has a first entry (keyed by hand, or scanned earlier)
    DISCARDED = "discarded"  # never placed: its image deleted by a supervisor or by the retention schedule

    @property
    def label(self) -> str:
        return SCAN_PAGE_STATUS_LABELS[self]


SCAN_PAGE_STATUS_LABELS = {
    ScanPageStatus.READ: "Read",
    ScanPageStatus.TO_PLACE: "To place: no readable barcode",
    ScanPageStatus.NOT_ALIGNED: "Could not be lined up: key from the paper",
    ScanPageStatus.DUPLICATE: "Duplicate of a page already read",
    ScanPageStatus.FOREIGN: "Not one of our packs",
    ScanPageStatus.NO_ANSWERS: "No answers on this page",
    ScanPageStatus.BLANK: "Blank page",
    ScanPageStatus.ALREADY_KEYED: "Its return already has a first entry",
    ScanPageStatus.DISCARDED: "Never placed: its image was deleted",
}


# Why a supervisor may delete the image of a page nobody could place: fixed words, so the audit trail holds
# no free text about a person.
DISCARD_REASONS = {
    "not_ours": "It is not one of our forms",
    "unreadable": "Its reference cannot be read, even by eye",
    "erasure": "The person it belongs to asked for their data to be erased",
}


class Scan(Model):
    """One uploaded file of scanned pages, read by a background job."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_key: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[ScanStatus] = mapped_column(enum_type(ScanStatus), default=ScanStatus.QUEUED, index=True)
    page_count: Mapped[int] = mapped_column(default=0)
    pages_read: Mapped[int] = mapped_column(default=0)  # progress while reading
    error: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    uploaded_by = relationship("StaffUser")
    pages: Mapped[list[ScanPage]] = relationship(back_populates="scan", order_by="ScanPage.position")


class ScanPage(Model):
    """One page of a scan. A page of a return is read once: (return, page number) is unique."""

    __tablename__ = "scan_pages"
    __table_args__ = (
        UniqueConstraint("scan_id", "position", name="uq_scan_pages_scan_position"),
        UniqueConstraint("return_id", "page_number", name="uq_scan_pages_return_page"),
        Index("ix_scan_pages_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id"))
    position: Mapped[int]  # in the file, from 1
    status: Mapped[ScanPageStatus] = mapped_column(enum_type(ScanPageStatus))
    image_key: Mapped[str | None] = mapped_column(String(200))  # lined up when read, else as scanned (upright)
    reference: Mapped[str | None] = mapped_column(String(10), index=True)
    page_number: Mapped[int | None]
    pack_id: Mapped[int | None] = mapped_column(ForeignKey("packs.id"), index=True)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"))
    problem: Mapped[str] = mapped_column(Text, default="")
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))  # typed the reference
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    scan: Mapped[Scan] = relationship(back_populates="pages")
    marks: Mapped[list[ScanMark]] = relationship(back_populates="page", order_by="ScanMark.id")


class ScanMark(Model):
    """One box read on a page: what the machine saw, and the value decided (by the machine when sure, else by
    a person). A tick box's value is "1" (chosen) or "0"; a writing box's is the text keyed from its image."""

    __tablename__ = "scan_marks"
    __table_args__ = (
        UniqueConstraint("scan_page_id", "question_code", "option_code", name="uq_scan_marks_page_box"),
        Index("ix_scan_marks_return_undecided", "return_id", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_page_id: Mapped[int] = mapped_column(ForeignKey("scan_pages.id"))
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"))
    question_code: Mapped[str] = mapped_column(String(80))
    option_code: Mapped[str] = mapped_column(String(20), default="")  # "" for a writing box
    # Where the box is on the lined-up page image (mm from its top-left), to cut it out for a person.
    left_mm: Mapped[float]
    top_mm: Mapped[float]
    width_mm: Mapped[float]
    height_mm: Mapped[float]
    machine_state: Mapped[str] = mapped_column(String(12))  # empty, ticked, filled, unsure, written
    ink: Mapped[float]
    confidence: Mapped[float]
    note: Mapped[str] = mapped_column(String(120), default="")
    value: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))  # None: the machine
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    page: Mapped[ScanPage] = relationship(back_populates="marks")
    decided_by = relationship("StaffUser")

    @property
    def is_tick_box(self) -> bool:
        return bool(self.option_code)
