"""Adjudication: a supervisor who keyed neither entry settles each disagreement, and the choice is recorded."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from service.confirm import Confirmation, render_confirmation
from service.dao.returns import Decision, adjudicate, get_return
from service.errors import render_error
from service.models import ReturnStatus
from service.models.keying_rules import may_adjudicate
from service.questionnaires.answers import label_for, missing_options, problem_with
from service.questionnaires.compare import disagreements
from service.returns import bp, questionnaire_for, supervisors
from service.web import get_or_404
from service.words import plural

log = logging.getLogger(__name__)
CHOICES = ("entry_1", "entry_2", "typed")


def _confirm(ret, questionnaire, differences, decisions: list[Decision]):
    """Check the decisions before they become the return's answers: a page of its own, GOV.UK style."""
    numbers = {d.question.code: d.question for d in differences}
    chosen_from = {"entry_1": "entry 1", "entry_2": "entry 2", "typed": "typed by you"}
    return render_confirmation(
        Confirmation(
            question=f"Verify return {ret.id} with these answers?",
            consequences=[
                f"Question {numbers[d.question_code].number}: "
                f"{label_for(questionnaire, numbers[d.question_code], d.value) or 'not answered'} "
                f"({chosen_from[d.chosen_from]})"
                for d in decisions
            ]
            + ["The return becomes verified and is counted in the export. Your decisions are recorded with your name."],
            warning="This cannot be undone.",
            action=url_for("returns.adjudicate_return", return_id=ret.id),
            button=f"Verify return {ret.id}",
            back_url=url_for("returns.adjudicate_return", return_id=ret.id),
            back_label="Change my decisions",
            back_posts=True,
            fields={k: v for k, v in request.form.items() if k.startswith(("choice-", "typed-"))}
            | {"confirmed": "yes"},
        )
    )


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
    first, second = ret.entry(1), ret.entry(2)
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
        changing = bool(request.form.get("change"))  # back from the confirmation page, choices kept
        if not errors and not changing and request.form.get("confirmed") != "yes":
            return _confirm(ret, questionnaire, differences, decisions)
        if not errors and not changing:
            adjudicate(ret, decisions, current_user.id, questionnaire)
            log.info("Return %s adjudicated by staff user %s", ret.id, current_user.id)
            flash(
                f"Return {ret.id} is verified with your decisions on {plural(len(decisions), 'question')}.", "success"
            )
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
