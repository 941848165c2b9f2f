"""Correct a request before printing, or cancel it (or one copy) before posting."""

from __future__ import annotations

import logging

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from service.accessible_formats.tools import formats_made_here
from service.auth import role_required
from service.dao.corrections import (
    CANCELLABLE,
    CORRECTABLE,
    CannotChange,
    Correction,
    cancel_copy,
    cancel_request,
    correct_request,
)
from service.dao.requests import get_request
from service.geo.postcode_directory import place_of, unknown_postcode_note
from service.geo.postcodes import parse_postcode
from service.models import PrintFormat, Role
from service.models.consultations import UK
from service.models.types import utcnow
from service.reference import format_reference
from service.requests import bp
from service.requests.forms import CancelForm, CorrectionForm
from service.text import tidy

log = logging.getLogger(__name__)
handlers = role_required(Role.CALL_HANDLER)


def _request_or_404(request_id: int):
    paper_request = get_request(request_id)
    if paper_request is None:
        abort(404)
    return paper_request


@bp.route("/<int:request_id>/correct", methods=["GET", "POST"])
@handlers
def correct(request_id: int):
    paper_request = _request_or_404(request_id)
    if paper_request.status not in CORRECTABLE:
        flash(f"This request is {paper_request.status.label.lower()}: it can no longer be corrected.", "error")
        return redirect(url_for("requests.show", request_id=request_id))
    caller = paper_request.caller
    form = CorrectionForm(
        data={
            "name": caller.name,
            "address_line_1": caller.address_line_1,
            "address_line_2": caller.address_line_2,
            "address_line_3": caller.address_line_3,
            "town": caller.town,
            "postcode": caller.postcode,
            "phone": caller.phone or "",
            "format": paper_request.format.value,
            "language": paper_request.language,
            "copies": str(len(paper_request.live_packs)),
        }
    )
    if form.validate_on_submit():
        print_format = PrintFormat(form.format.data)
        correction = Correction(
            name=tidy(form.name.data),
            address_line_1=tidy(form.address_line_1.data),
            address_line_2=tidy(form.address_line_2.data),
            address_line_3=tidy(form.address_line_3.data),
            town=tidy(form.town.data),
            postcode=form.postcode.normalised,
            phone=getattr(form.phone, "normalised", None),
            format=print_format,
            language=tidy(form.language.data) if print_format == PrintFormat.OTHER_LANGUAGE else "",
            copies=int(form.copies.data),
            reason=tidy(form.reason.data),
        )
        try:
            changed = correct_request(
                paper_request,
                correction,
                current_user.id,
                current_user.display_name,
                today=utcnow().astimezone(UK).date(),
                working_days_allowed=current_app.config["ALTERNATIVE_FORMAT_WORKING_DAYS"],
                made_here=formats_made_here(),
            )
        except CannotChange as problem:
            flash(str(problem), "error")
        else:
            log.info("Request %s corrected by staff user %s", request_id, current_user.id)
            if changed:
                flash(f"Request corrected ({', '.join(changed)}). The references stay the same.", "success")
                area = paper_request.consultation.area
                if place_of(parse_postcode(correction.postcode), area).unknown:
                    flash(unknown_postcode_note(correction.postcode, area), "info")
            else:
                flash("Nothing was changed.", "info")
        return redirect(url_for("requests.show", request_id=request_id))
    return render_template("requests/correct.html", form=form, paper_request=paper_request)


@bp.route("/<int:request_id>/cancel", methods=["GET", "POST"])
@handlers
def cancel(request_id: int):
    paper_request = _request_or_404(request_id)
    if paper_request.status not in CANCELLABLE:
        flash(f"This request is {paper_request.status.label.lower()}: it can no longer be cancelled.", "error")
        return redirect(url_for("requests.show", request_id=request_id))
    live = paper_request.live_packs
    form = CancelForm()
    form.what.choices = [SelectChoice("request", "The whole request")]
    if len(live) > 1:
        form.what.choices += [
            SelectChoice(str(pack.id), f"Copy {pack.copy_number} only (reference {format_reference(pack.reference)})")
            for pack in live
        ]
    if form.validate_on_submit():
        reason = tidy(form.reason.data)
        try:
            if form.what.data == "request":
                cancel_request(paper_request, reason, current_user.id, current_user.display_name)
                flash("Request cancelled. Nothing will be sent.", "success")
            else:
                pack = next(p for p in live if str(p.id) == form.what.data)
                cancel_copy(paper_request, pack, reason, current_user.id, current_user.display_name)
                flash(f"Copy {pack.copy_number} cancelled. The other copies go ahead.", "success")
        except CannotChange as problem:
            flash(str(problem), "error")
        log.info("Request %s cancelled (%s) by staff user %s", request_id, form.what.data, current_user.id)
        return redirect(url_for("requests.show", request_id=request_id))
    return render_template("requests/cancel.html", form=form, paper_request=paper_request)
