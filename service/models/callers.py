"""Callers: the only table holding names, addresses and phone numbers, so erasure has one place to go."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import Model
from service.models.types import UTCDateTime, enum_type, utcnow
from service.text import match_key


def match_keys(name: str, address_line_1: str) -> dict[str, str]:
    """A caller's normalised keys for spotting duplicates, by column: `name_key` and `address_key`."""
    return {"name_key": match_key(name), "address_key": match_key(address_line_1)}


def address_lines(*lines: str | None) -> list[str]:
    """The postal address as printed from a caller's address columns in order: the lines that are not empty."""
    return [line for line in lines if line]


class Caller(Model):
    __tablename__ = "callers"
    __table_args__ = (
        # Duplicate checks and searches: "same name and postcode" and "same address".
        Index("ix_callers_postcode_name_key", "postcode", "name_key"),
        Index("ix_callers_postcode_address_key", "postcode", "address_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    address_line_1: Mapped[str] = mapped_column(String(120), default="")
    address_line_2: Mapped[str] = mapped_column(String(120), default="")
    address_line_3: Mapped[str] = mapped_column(String(120), default="")
    town: Mapped[str] = mapped_column(String(80), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    phone: Mapped[str | None] = mapped_column(String(32), index=True)  # E.164, then ";ext=2" if there is one
    # Only when the caller asked for braille or audio by email.
    email: Mapped[str | None] = mapped_column(String(254))
    # A message the caller recorded on the phone menu (their address, or a request for a callback): Twilio's URL.
    recording_url: Mapped[str | None] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(120), default="", index=True)
    address_key: Mapped[str] = mapped_column(String(240), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def refresh_keys(self) -> None:
        """Recompute the normalised keys used to spot duplicates."""
        keys = match_keys(self.name, self.address_line_1)
        self.name_key, self.address_key = keys["name_key"], keys["address_key"]

    @property
    def address_lines(self) -> list[str]:
        """The postal address as printed: non-empty lines, town, then postcode."""
        return address_lines(self.address_line_1, self.address_line_2, self.address_line_3, self.town, self.postcode)


class LinkDecision(enum.StrEnum):
    """A supervisor's word on a suggested match between two caller records."""

    CONFIRMED = "confirmed"  # the same person: found, exported and erased together
    SPLIT = "split"  # not the same person, whatever the evidence says: never suggested again

    @property
    def label(self) -> str:
        return {"confirmed": "Confirmed the same person", "split": "Not the same person"}[self.value]


class CallerLink(Model):
    """A supervisor's decision about two caller records (each request and call makes its own caller record).

    Matches are suggested from the data itself (same name and postcode, or same phone number); only a
    decision is stored, one row per pair, the lower id first, so deciding again replaces the decision.
    """

    __tablename__ = "caller_links"
    __table_args__ = (
        UniqueConstraint("caller_id", "other_id", name="uq_caller_links_pair"),
        CheckConstraint("caller_id < other_id", name="lower_id_first"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    caller_id: Mapped[int] = mapped_column(ForeignKey("callers.id"))
    other_id: Mapped[int] = mapped_column(ForeignKey("callers.id"), index=True)
    decision: Mapped[LinkDecision] = mapped_column(enum_type(LinkDecision, 16))
    evidence: Mapped[str] = mapped_column(String(80), default="")  # what was shown when it was decided
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
