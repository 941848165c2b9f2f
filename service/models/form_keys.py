"""One-time form keys: what a submitted form made, so submitting it again returns that instead of a second."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import Model
from service.models.types import UTCDateTime, utcnow


class FormKey(Model):
    """A form's one-time key and the row its first submission made. The primary key is what makes a
    second submission (a double click, a POST retried on a slow line) find the first, however close."""

    __tablename__ = "form_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # what the form makes: request, call, return, print_run
    result_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
