"""Supervisors' personal-data tools: find a person, export what is held (subject access), erase it."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from service.auth import role_required
from service.confirm import Confirmation, TextQuestion, render_confirmation
from service.dao import transactional
from service.dao.audit import record_audit
from service.dao.privacy import (
    KEPT,
    WHY_KEPT,
    batches_holding_caller,
    calls_of,
    erasure_record,
    find_callers,
    get_caller,
    requests_of,
    subject_access_export,
)
from service.geo.phones import InvalidPhone, normalise_uk_phone
from service.models import Role
from service.params import bounded_int
from service.personal_data import bp
from service.personal_data.erasure import erase_person, erased_notice, what_was_done
from service.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from service.web import get_or_404
from service.words import plural

supervisors = role_required(Role.SUPERVISOR)


@transactional
def _audit(action: str, caller_id: int | None = None, **details) -> None:
    record_audit(current_user.id, action, "caller", caller_id, **details)


@bp.get("")
@supervisors
def search():
    name, postcode, phone_text = (request.args.get(k, "").strip() for k in ("name", "postcode", "phone"))
    errors, phone = {}, None
    if phone_text:
        try:
            phone = normalise_uk_phone(phone_text)
        except InvalidPhone as problem:
            errors["phone"] = str(problem)
    searched = bool(name or postcode or phone)
    page = request.args.get("page", 1, type=bounded_int) or 1
    callers = find_callers(name, postcode, phone, page) if searched and not errors else None
    if callers is not None:
        # Which fields were searched, never what was typed: search terms are personal data too.
        _audit(
            "privacy.searched",
            fields=[k for k, v in (("name", name), ("postcode", postcode), ("phone", phone)) if v],
            found=callers.total,
        )
    return render_template(
        "personal_data/search.html", callers=callers, searched=searched, errors=errors, args=request.args
    )


def _caller_or_404(caller_id: int):
    caller = get_caller(caller_id)
    if caller is None or caller.erased_at is not None:
        abort(404)
    return caller


@bp.get("/callers/<int:caller_id>")
@supervisors
def show(caller_id: int):
    caller = get_or_404(get_caller, caller_id)
    if caller.erased_at is not None:
        # Said plainly, with what the erasure did and kept; nothing personal is left to show.
        return render_template(
            "personal_data/erased.html",
            caller=caller,
            notice=erased_notice(caller),
            done=what_was_done(erasure_record(caller)),
            requests=requests_of(caller),
        )
    _audit("privacy.viewed", caller_id)
    return render_template(
        "personal_data/show.html", caller=caller, requests=requests_of(caller), calls=calls_of(caller)
    )


@bp.get("/callers/<int:caller_id>/export.json")
@supervisors
def export(caller_id: int):
    caller = _caller_or_404(caller_id)
    body = json.dumps(subject_access_export(caller), indent=2, ensure_ascii=False)
    _audit("privacy.exported", caller_id)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f"attachment; filename=subject-access-{caller_id}.json",
            "Cache-Control": "no-store",
        },
    )


def _confirm_erase(caller, reason: str = "", error: str | None = None):
    held = [plural(len(requests_of(caller)), "request"), plural(len(calls_of(caller)), "call")]
    unsent, printed = batches_holding_caller(caller)
    batches = [
        f"{batch.name} is not yet sent to print: it will be cancelled and its print file deleted, and its other "
        "packs will go in the next print run."
        for batch in unsent
    ] + [
        f"{batch.name} has been sent to print: its print file will be deleted. Its {KEPT} are kept, {WHY_KEPT}."
        for batch in printed
    ]
    return render_confirmation(
        Confirmation(
            question=f"Erase the personal data of {caller.name or 'this person'}?",
            consequences=[
                "Their name, address, phone number, recorded messages, notes and rendered packs will be removed "
                f"everywhere they are held ({held[0]} and {held[1]}).",
                *batches,
                "A request not yet posted is cancelled: with no name or address it cannot be sent.",
                "Counts, statuses and survey answers stay, without anything that identifies them.",
            ],
            warning="This cannot be undone.",
            danger=True,
            action=url_for("personal_data.erase", caller_id=caller.id),
            button="Erase this person's data",
            back_url=url_for("personal_data.show", caller_id=caller.id),
            back_label="No, keep their data",
            text=TextQuestion(
                "reason", "Why are you erasing this data?", reason, "For example: they asked us to", error
            ),
        )
    )


@bp.get("/callers/<int:caller_id>/erase")
@supervisors
def confirm_erase(caller_id: int):
    return _confirm_erase(_caller_or_404(caller_id))


@bp.post("/callers/<int:caller_id>/erase")
@supervisors
def erase(caller_id: int):
    caller = _caller_or_404(caller_id)
    reason = (request.form.get("reason") or "").strip()
    if not reason:
        return _confirm_erase(caller, reason, "Enter why you are erasing this person's data")
    if has_control_characters(reason):
        return _confirm_erase(caller, reason, f"The reason {CONTROL_CHARACTERS_MESSAGE}")
    erase_person(caller, current_user.id, current_user.display_name, reason)
    flash("Personal data erased. Counts, statuses and answers are kept without it.", "success")
    return redirect(url_for("personal_data.show", caller_id=caller.id))
