"""The list of returns, one return laid out like the questionnaire, and progress."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from service.dao.consultations import list_consultations
from service.dao.returns import ReturnSearch, get_return, search_returns
from service.models import Return, ReturnStatus, Role
from service.models.keying_rules import KeyingRefused, may_adjudicate, next_entry_number
from service.params import bounded_int
from service.questionnaires.answers import answer_sheet
from service.returns import bp, data_entry, questionnaire_for
from service.returns.progress import keyer_figures, stage_counts
from service.web import get_or_404


@bp.get("")
@data_entry
def index():
    status_value = request.args.get("status") or ""
    status = ReturnStatus(status_value) if status_value in {s.value for s in ReturnStatus} else None
    criteria = ReturnSearch(
        status=status,
        consultation_id=request.args.get("consultation", type=bounded_int) or None,
        page=request.args.get("page", 1, type=bounded_int),
    )
    page = search_returns(criteria)
    return render_template(
        "returns/index.html",
        results=page.items,
        page=page,
        args=request.args,
        statuses=list(ReturnStatus),
        consultations=list_consultations(),
    )


def _answers_to_show(ret: Return) -> tuple[dict[str, str] | None, str, list[int]]:
    """The answers this person may see, what they are, and which entries they may switch to.

    Until a return is verified only supervisors see its entries (and a keyer their own), so the second
    keying stays blind.
    """
    is_supervisor = current_user.has_role(Role.SUPERVISOR)
    visible = [k.entry_number for k in ret.keyings if is_supervisor or k.keyer_id == current_user.id]
    wanted = request.args.get("entry", type=bounded_int)
    if wanted is not None and wanted in visible:
        return ret.entry(wanted).answers, f"Entry {wanted}", visible
    if ret.final_answers is not None:
        return ret.final_answers, "Final answers", visible
    if visible:
        return ret.entry(visible[0]).answers, f"Entry {visible[0]}", visible
    return None, "", visible


@bp.get("/<int:return_id>")
@data_entry
def show(return_id: int):
    ret = get_or_404(get_return, return_id)
    answers, showing, entries = _answers_to_show(ret)
    try:
        next_entry_number(ret.status, ret.keyings, current_user.id)
        can_key = True
    except KeyingRefused:
        can_key = False
    can_adjudicate = (
        ret.status == ReturnStatus.IN_DISPUTE
        and current_user.has_role(Role.SUPERVISOR)
        and may_adjudicate(ret.keyings, current_user.id)
    )
    questionnaire = questionnaire_for(ret.consultation)
    return render_template(
        "returns/show.html",
        ret=ret,
        questionnaire=questionnaire,
        sheet=answer_sheet(questionnaire, answers) if answers is not None else None,
        showing=showing,
        entries=entries,
        can_key=can_key,
        can_adjudicate=can_adjudicate,
    )


@bp.get("/progress")
@data_entry
def progress():
    consultation_id = request.args.get("consultation", type=bounded_int) or None
    return render_template(
        "returns/progress.html",
        counts=stage_counts(consultation_id),
        keyers=keyer_figures(consultation_id) if current_user.has_role(Role.SUPERVISOR) else [],
        consultations=list_consultations(),
        consultation_id=consultation_id,
    )
