"""Callers: the only table holding names, addresses and phone numbers, so erasure has one place to go."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import db
from service.models.types import UTCDateTime, utcnow
from service.text import match_key


class Caller(db.Model):
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
    # A message the caller recorded on the phone menu (their address, or a request for a callback): Twilio's URL.
    recording_url: Mapped[str | None] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(120), default="", index=True)
    address_key: Mapped[str] = mapped_column(String(240), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def refresh_keys(self) -> None:
        """Recompute the normalised keys used to spot duplicates."""
        self.name_key = match_key(self.name)
        self.address_key = match_key(self.address_line_1)

    @property
    def address_lines(self) -> list[str]:
        """The postal address as printed: non-empty lines, town, then postcode."""
        lines = [self.address_line_1, self.address_line_2, self.address_line_3, self.town, self.postcode]
        return [line for line in lines if line]
