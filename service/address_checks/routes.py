"""The **needs address check** list: call handlers listen to the caller and confirm or correct the address."""

from __future__ import annotations

import logging
from datetime import datetime, time

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from service.accessible_formats.tools import formats_made_here
from service.address_checks import bp
from service.auth import role_required
from service.dao.address_checks import (
    CheckedAddress,
    NoWayToCallBack,
    cannot_confirm_address,
    confirm_request_address,
    list_address_checks,
)
from service.dao.requests import get_request
from service.forms import Form
from service.models import RequestStatus, Role
from service.models.consultations import UK
from service.models.types import utcnow
from service.requests.forms import PaperRequestForm, check_postal_rules
from service.text import tidy
from service.web import get_or_404
from service.working_days import add_working_days

log = logging.getLogger(__name__)
handlers = role_required(Role.CALL_HANDLER)


class AddressCheckForm(Form):
    """The request form's own name and address fields, with the same validation."""

    name = PaperRequestForm.name
    address_line_1 = PaperRequestForm.address_line_1
    address_line_2 = PaperRequestForm.address_line_2
    address_line_3 = PaperRequestForm.address_line_3
    town = PaperRequestForm.town
    postcode = PaperRequestForm.postcode

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return check_postal_rules(self) and valid


@bp.get("")
@handlers
def index():
    return render_template("address_checks/index.html", waiting=list_address_checks())


@bp.route("/<int:request_id>", methods=["GET", "POST"])
@handlers
def check(request_id: int):
    paper_request = get_or_404(get_request, request_id)
    if paper_request.status != RequestStatus.NEEDS_ADDRESS_CHECK:
        flash("That request's address has already been checked.", "info")
        return redirect(url_for("requests.show", request_id=request_id))
    caller = paper_request.caller
    form = AddressCheckForm(obj=caller)
    if form.validate_on_submit():
        checked = CheckedAddress(
            name=tidy(form.name.data),
            address_line_1=tidy(form.address_line_1.data),
            address_line_2=tidy(form.address_line_2.data),
            address_line_3=tidy(form.address_line_3.data),
            town=tidy(form.town.data),
            postcode=form.postcode.normalised,
        )
        confirm_request_address(paper_request, checked, current_user.id, current_user.display_name, formats_made_here())
        log.info("Address of request %s checked by staff user %s", request_id, current_user.id)
        flash(f"Address checked. Request {request_id} is now: {paper_request.status.label}.", "success")
        return redirect(url_for("address_checks.index"))
    call = paper_request.call
    return render_template(
        "address_checks/check.html",
        form=form,
        paper_request=paper_request,
        confidence=(call.menu_answers or {}).get("confidence", {}) if call else {},
    )


@bp.post("/<int:request_id>/cannot-confirm")
@handlers
def cannot_confirm(request_id: int):
    paper_request = get_or_404(get_request, request_id)
    if paper_request.status != RequestStatus.NEEDS_ADDRESS_CHECK:
        flash("That request's address has already been checked.", "info")
        return redirect(url_for("requests.show", request_id=request_id))
    today = utcnow().astimezone(UK).date()
    due_at = datetime.combine(add_working_days(today, 1), time(10), tzinfo=UK)
    try:
        cannot_confirm_address(paper_request, current_user.id, current_user.display_name, due_at)
    except NoWayToCallBack as problem:
        flash(f"{problem} Cancel the request if the address cannot be found.", "error")
        return redirect(url_for("address_checks.check", request_id=request_id))
    log.info("Address of request %s not confirmed; callback booked by staff user %s", request_id, current_user.id)
    flash(f"Callback booked for request {request_id}. Confirm the address here once you have it.", "success")
    return redirect(url_for("address_checks.index"))
