"""The home page and the template helpers every page uses."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user, login_required

from service.dao.calls import count_callbacks_due
from service.dao.requests import count_requests_with_status
from service.geo.phones import display_uk_phone
from service.models import RequestStatus, Role
from service.models.consultations import UK
from service.models.types import utcnow
from service.reference import format_reference

bp = Blueprint("views", __name__)


@bp.get("/")
def root():
    return redirect(url_for("views.home") if current_user.is_authenticated else url_for("auth.sign_in"))


@bp.get("/home")
@login_required
def home():
    counts = {}
    if current_user.has_role(Role.CALL_HANDLER):
        counts = {
            "callbacks_due": count_callbacks_due(utcnow()),
            "alternative_formats_due": count_requests_with_status(RequestStatus.ALTERNATIVE_FORMAT_DUE),
            "needs_address_check": count_requests_with_status(RequestStatus.NEEDS_ADDRESS_CHECK),
        }
    return render_template("home.html", counts=counts)


def uk_time(value: datetime | None, fmt: str = "%-d %b %Y %H:%M") -> str:
    """Show a stored UTC time in UK local time."""
    return value.astimezone(UK).strftime(fmt) if value else ""


def uk_date(value: date | None, fmt: str = "%-d %B %Y") -> str:
    return value.strftime(fmt) if value else ""


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.filters.update(
        uk_time=uk_time,
        uk_date=uk_date,
        reference=format_reference,
        phone=lambda v: display_uk_phone(v) if v else "",
        status_label=lambda v: RequestStatus(v).label,
        dictsum=lambda d: sum(d.values()),
    )
    app.jinja_env.globals.update(Role=Role)
