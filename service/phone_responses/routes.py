"""The list of phone responses whose spoken answers wait for a person, and the screen to check one."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from service.auth import role_required
from service.dao.phone_responses import get_phone_response, list_phone_responses_to_check, save_phone_check
from service.models import PhoneResponseStatus, Role
from service.phone_responses import bp
from service.phone_responses.forms import check_form
from service.questionnaires.answers import label_for
from service.questionnaires.definition import load_questionnaire
from service.reference import format_reference
from service.web import get_or_404

log = logging.getLogger(__name__)
# The recordings are a caller's voice: data entry (who type the answers) and supervisors only.
data_entry = role_required(Role.DATA_ENTRY)


@bp.get("")
@data_entry
def index():
    return render_template("phone_responses/index.html", responses=list_phone_responses_to_check())


@bp.route("/<int(max=2147483647):response_id>/check", methods=["GET", "POST"])  # ids are 32-bit integers
@data_entry
def check(response_id: int):
    response = get_or_404(get_phone_response, response_id)
    if response.status != PhoneResponseStatus.AWAITING_CHECK:
        flash(f"Phone response {format_reference(response.reference)} has no spoken answers left to check.", "info")
        return redirect(url_for("phone_responses.index"))
    questionnaire = load_questionnaire(response.consultation.questionnaire_file)
    form = check_form(questionnaire, response, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        if not save_phone_check(response.id, form.typed(), current_user.id):
            flash("Someone else checked this response a moment ago: it is verified.", "info")
            return redirect(url_for("phone_responses.index"))
        log.info("Phone response %s checked by staff user %s", response.id, current_user.id)
        flash(f"Saved. Phone response {format_reference(response.reference)} is verified.", "success")
        return redirect(url_for("phone_responses.index"))
    closed = [
        (q, label_for(questionnaire, q, response.answers[q.code]) if q.code in response.answers else "")
        for q in questionnaire.questions
        if q.type != "text"
    ]
    return render_template(
        "phone_responses/check.html",
        response=response,
        form=form,
        questionnaire=questionnaire,
        closed=closed,
    )
