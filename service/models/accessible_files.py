"""The braille or audio file of one pack: made by the service, kept in the file store like a print file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.requests import PrintFormat
from service.models.types import UTCDateTime, enum_type, utcnow


class AccessibleFile(Model):
    """One pack's BRF (braille) or MP3 (audio, with the transcript of what it reads)."""

    __tablename__ = "accessible_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("packs.id"), unique=True)  # one file per pack, made once
    format: Mapped[PrintFormat] = mapped_column(enum_type(PrintFormat))
    # Keys in the file store; None once erased (the letter in them carries the caller's name).
    file_key: Mapped[str | None] = mapped_column(String(200))
    transcript_key: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(default=0)
    braille_pages: Mapped[int | None]
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    made_in_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    pack = relationship("Pack")

    @property
    def extension(self) -> str:
        return "brf" if self.format == PrintFormat.BRAILLE else "mp3"

    @property
    def running_time(self) -> str:
        """`9 min 12 s`, for the screen and the manifest."""
        if self.duration_seconds is None:
            return ""
        minutes, seconds = divmod(round(self.duration_seconds), 60)
        return f"{minutes} min {seconds} s"
