"""Keying screens: find the return in hand by its reference, key it (blind to any other entry); keying modes."""

from __future__ import annotations

import logging
import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from service.dao.consultations import get_consultation, list_consultations
from service.dao.returns import get_return, list_returns_for_reference, save_keying, set_keying_mode
from service.errors import render_error
from service.models import KeyingMode, Return, ReturnStatus
from service.models.keying_rules import KeyingRefused, next_entry_number
from service.models.types import utcnow
from service.reference import format_reference
from service.returns import bp, data_entry, questionnaire_for, supervisors
from service.returns.forms import FindReturnForm, KeyingModeForm
from service.returns.keying_form import keying_form_class, read_started, sign_started
from service.returns.receipt import InvalidReference, reference_from_scan
from service.web import get_or_404
from service.words import plural

log = logging.getLogger(__name__)
_RETURN_NUMBER = re.compile(r"^\s*r?\s*-?\s*(\d{1,9})\s*$", re.IGNORECASE)


def _find(text: str) -> tuple[list[Return], str | None]:
    """Returns matching a return number or a reference, and a message when there are none."""
    number = _RETURN_NUMBER.match(text)
    if number:
        ret = get_return(int(number[1]))
        return ([ret], None) if ret else ([], f"There is no return number {number[1]}")
    try:
        reference = reference_from_scan(text)
    except InvalidReference as problem:
        return [], str(problem)
    found = list_returns_for_reference(reference)
    if not found:
        return [], f"No form with reference {format_reference(reference)} has been received yet: receive it first"
    return found, None


@bp.get("/key")
@data_entry
def find_to_key():
    form = FindReturnForm(request.args)
    found, problem = ([], None)
    if (form.q.data or "").strip():
        found, problem = _find(form.q.data)
        if problem:
            form.q.errors = [problem]
        elif len(found) == 1:
            return redirect(url_for("returns.key", return_id=found[0].id))
    return render_template("returns/find.html", form=form, found=found)


def _refused(message: str):
    return render_error(403, "You cannot key this return", message)


@bp.route("/<int:return_id>/key", methods=["GET", "POST"])
@data_entry
def key(return_id: int):
    ret = get_or_404(get_return, return_id)
    try:
        entry_number = next_entry_number(ret.status, ret.keyings, current_user.id)
    except KeyingRefused as refusal:
        return _refused(str(refusal))
    questionnaire = questionnaire_for(ret.consultation)
    form = keying_form_class(questionnaire)()
    if not form.is_submitted():
        form.started.data = sign_started(utcnow())
    if form.validate_on_submit():
        now = utcnow()
        try:
            keying = save_keying(
                ret.id, current_user.id, form.answers(), read_started(form.started.data, now), questionnaire
            )
        except KeyingRefused as refusal:
            return _refused(str(refusal))
        except IntegrityError:
            return _refused("Someone else saved an entry for this return at the same moment. Open it again.")
        log.info("Return %s entry %s keyed by staff user %s", ret.id, keying.entry_number, current_user.id)
        flash(_saved_message(keying.return_, keying.entry_number), "success")
        return redirect(url_for("returns.find_to_key"))
    return render_template(
        "returns/key.html", ret=ret, form=form, entry_number=entry_number, questionnaire=questionnaire
    )


def _saved_message(ret: Return, entry_number: int) -> str:
    name = f"return {ret.id}" + (f" ({format_reference(ret.reference)})" if ret.reference else "")
    if ret.status == ReturnStatus.KEYED_ONCE:
        return f"Saved entry 1 of {name}. Someone else keys it a second time."
    if ret.status == ReturnStatus.IN_DISPUTE:
        count = ret.disagreement_count or 0  # set whenever a return goes into dispute
        return (
            f"Saved entry 2 of {name}. The two entries differ on {plural(count, 'question')}: a supervisor will decide."
        )
    if entry_number == 2:
        return f"Saved entry 2 of {name}. Both entries agree: it is verified."
    return f"Saved {name}. It is verified (single entry, not in the verification sample)."


@bp.get("/keying-mode")
@supervisors
def keying_modes():
    return render_template("returns/keying_modes.html", consultations=list_consultations())


@bp.route("/keying-mode/<int:consultation_id>", methods=["GET", "POST"])
@supervisors
def keying_mode(consultation_id: int):
    consultation = get_or_404(get_consultation, consultation_id)
    form = KeyingModeForm()
    if not form.is_submitted():
        form.keying_mode.data = consultation.keying_mode.value
        form.verification_sample_percent.data = str(consultation.verification_sample_percent)
    if form.validate_on_submit():
        mode = KeyingMode(form.keying_mode.data)
        set_keying_mode(consultation, mode, int(form.verification_sample_percent.data), current_user.id)
        detail = f", {consultation.verification_sample_percent}% keyed again" if mode == KeyingMode.SINGLE else ""
        flash(f"{consultation.display_name}: {mode.label.lower()}{detail}.", "success")
        return redirect(url_for("returns.keying_modes"))
    return render_template("returns/keying_mode.html", consultation=consultation, form=form)
