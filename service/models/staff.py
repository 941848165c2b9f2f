"""Staff accounts and their roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import Model
from service.models.types import UTCDateTime, enum_type, utcnow


class Role(enum.StrEnum):
    CALL_HANDLER = "call_handler"
    DATA_ENTRY = "data_entry"
    SUPERVISOR = "supervisor"

    @property
    def label(self) -> str:
        return {"call_handler": "Call handler", "data_entry": "Data entry", "supervisor": "Supervisor"}[self.value]


class StaffUser(UserMixin, Model):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    last_failed_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(
        UTCDateTime()
    )  # only cleared now: locks are per address (auth/throttle.py)
    # Stored in the session cookie at sign-in and checked on every request; one more ends every session.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Their own phone, for callbacks with one click (E.164, a UK number without extension; from /profile).
    phone: Mapped[str | None] = mapped_column(String(32))

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def has_role(self, *roles: Role) -> bool:
        """Say whether this person may act in any of `roles` (a supervisor may do everything)."""
        return self.role == Role.SUPERVISOR or self.role in roles
