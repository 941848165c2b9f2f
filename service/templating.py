"""The template filters and globals every page uses."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from service import labels
from service.geo.phones import display_uk_phone, last_digits
from service.models import RequestStatus, Role
from service.models.consultations import UK
from service.reference import format_reference
from service.words import plural


def uk_time(value: datetime | None, fmt: str = "%-d %b %Y %H:%M") -> str:
    """Show a stored UTC time in UK local time."""
    return value.astimezone(UK).strftime(fmt) if value else ""


def uk_date(value: date | None, fmt: str = "%-d %B %Y") -> str:
    return value.strftime(fmt) if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        uk_time=uk_time,
        uk_date=uk_date,
        reference=format_reference,
        phone=lambda v: display_uk_phone(v) if v else "",
        last_digits=lambda v: last_digits(v) if v else "",
        status_label=lambda v: RequestStatus(v).label,
        dictsum=lambda d: sum(d.values()),
        plural=plural,
        action_label=labels.action_label,
        record_label=labels.record_label,
        details_label=labels.details_label,
    )
    app.jinja_env.globals.update(Role=Role)
