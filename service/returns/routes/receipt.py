"""Receipt screens: scan or type each returned form's reference; forms with no readable reference too."""

from __future__ import annotations

import logging
from datetime import date

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from service.consultations.choices import fill_consultation_choices
from service.dao.consultations import get_consultation
from service.dao.form_keys import make_once
from service.dao.returns import get_return, list_unreturned_demo_packs
from service.form_keys import submitted_form_key
from service.params import bounded_int, plain_day
from service.returns import bp, data_entry
from service.returns.forms import ReceiveForm, UnreferencedForm
from service.returns.receipt import InvalidReference, UnknownReference, find_pack, receive

log = logging.getLogger(__name__)


def _day_from_args() -> date | None:
    try:
        return plain_day(request.args.get("on", ""))
    except ValueError:
        return None


def _received_next(ret_id: int, received_on: date):
    """Back to the scan screen, ready for the next form, with what was just received on show."""
    return redirect(url_for("returns.receive", received=ret_id, on=received_on.isoformat()))


@bp.route("/receive", methods=["GET", "POST"], endpoint="receive")
@data_entry
def receive_page():
    form = ReceiveForm()
    if not form.is_submitted() and _day_from_args():
        form.received_on.data = _day_from_args()
    if form.validate_on_submit():
        try:
            pack = find_pack(form.reference.data)
        except (InvalidReference, UnknownReference) as problem:
            # Said with what was scanned, then the field is emptied: the scanner's next form goes straight in.
            scanned = " ".join((form.reference.data or "").split())[:40]
            message = str(problem).rstrip(".")
            form.reference.errors.append(f"{message}. You scanned or typed: {scanned}" if scanned else message)
            form.reference.data = ""
        else:
            ret_id, new = make_once(
                "return",
                submitted_form_key(),
                lambda: receive(pack.consultation, pack, form.received_on.data, current_user.id).id,
            )
            if new:
                log.info("Return %s received by staff user %s", ret_id, current_user.id)
            return _received_next(ret_id, form.received_on.data)
    just_received = get_return(request.args.get("received", type=bounded_int) or 0) if not form.errors else None
    return render_template(
        "returns/receive.html", form=form, just_received=just_received, demo_packs=list_unreturned_demo_packs()
    )


@bp.route("/receive/unreferenced", methods=["GET", "POST"])
@data_entry
def receive_unreferenced():
    form = UnreferencedForm()
    fill_consultation_choices(form.consultation_id, form.is_submitted(), open_now_only=False)
    if form.validate_on_submit():
        consultation = get_consultation(form.consultation_id.data)
        if consultation is None:
            form.consultation_id.errors.append("Select the consultation the form is for")
        else:
            ret_id, new = make_once(
                "return",
                submitted_form_key(),
                lambda: receive(consultation, None, form.received_on.data, current_user.id).id,
            )
            if new:
                log.info("Unreferenced return %s received by staff user %s", ret_id, current_user.id)
            return _received_next(ret_id, form.received_on.data)
    return render_template("returns/unreferenced.html", form=form)
