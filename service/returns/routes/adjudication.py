"""Adjudication: a supervisor who keyed neither entry settles each disagreement, and the choice is recorded."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from service.dao.returns import Decision, adjudicate, get_return
from service.errors import render_error
from service.models import ReturnStatus
from service.models.keying_rules import may_adjudicate
from service.questionnaires.answers import label_for, missing_options, problem_with
from service.questionnaires.compare import disagreements
from service.returns import bp, questionnaire_for, supervisors
from service.web import get_or_404

log = logging.getLogger(__name__)
CHOICES = ("entry_1", "entry_2", "typed")


@bp.route("/<int:return_id>/adjudicate", methods=["GET", "POST"])
@supervisors
def adjudicate_return(return_id: int):
    ret = get_or_404(get_return, return_id)
    if ret.status != ReturnStatus.IN_DISPUTE:
        flash(f"Return {ret.id} is not in dispute: {ret.status.label.lower()}.", "error")
        return redirect(url_for("returns.show", return_id=ret.id))
    if not may_adjudicate(ret.keyings, current_user.id):
        return render_error(
            403,
            "You cannot decide on this return",
            "You keyed one of its entries, so a supervisor who keyed neither must decide.",
        )
    questionnaire = questionnaire_for(ret.consultation)
    first, second = ret.keying(1), ret.keying(2)
    differences = disagreements(questionnaire, first.answers, second.answers)
    errors: dict[str, str] = {}
    if request.method == "POST":
        decisions = []
        for d in differences:
            code = d.question.code
            choice = request.form.get(f"choice-{code}", "")
            typed = request.form.get(f"typed-{code}", "")
            if choice not in CHOICES:
                errors[code] = f"Question {d.question.number}: choose entry 1, entry 2, or type the correct answer"
                continue
            value = {"entry_1": d.first, "entry_2": d.second, "typed": typed}[choice]
            problem = problem_with(questionnaire, d.question, value) if choice == "typed" else None
            if problem:
                errors[code] = problem
                continue
            decisions.append(Decision(code, choice, value))
        if not errors:
            adjudicate(ret, decisions, current_user.id, questionnaire)
            log.info("Return %s adjudicated by staff user %s", ret.id, current_user.id)
            flash(f"Return {ret.id} is verified with your decisions on {len(decisions)} question(s).", "success")
            return redirect(url_for("returns.show", return_id=ret.id))
    return render_template(
        "returns/adjudicate.html",
        ret=ret,
        questionnaire=questionnaire,
        differences=differences,
        first=first,
        second=second,
        errors=errors,
        values=request.form,
        label_for=lambda question, value: label_for(questionnaire, question, value),
        allowed=lambda question: (*question.options, *missing_options(questionnaire, question)),
    )
