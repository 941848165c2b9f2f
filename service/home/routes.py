"""The home page, with what is waiting for a call handler."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from service.dao.calls import count_callbacks_due
from service.dao.requests import count_requests_with_status
from service.home import bp
from service.models import RequestStatus, Role
from service.models.types import utcnow


@bp.get("/")
def root():
    return redirect(url_for("home.index") if current_user.is_authenticated else url_for("sign_in.sign_in"))


@bp.get("/home")
@login_required
def index():
    counts = {}
    if current_user.has_role(Role.CALL_HANDLER):
        counts = {
            "callbacks_due": count_callbacks_due(utcnow()),
            "alternative_formats_due": count_requests_with_status(RequestStatus.ALTERNATIVE_FORMAT_DUE),
            "needs_address_check": count_requests_with_status(RequestStatus.NEEDS_ADDRESS_CHECK),
        }
    return render_template("home/index.html", counts=counts)
