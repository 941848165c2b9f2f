"""Supervisors' personal-data tools: find a person (every record of theirs, grouped), confirm or split
suggested matches, export everything held about them (subject access) in one file, erase it."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from service.auth import role_required
from service.confirm import Confirmation, TextQuestion, render_confirmation
from service.dao import transactional
from service.dao.audit import record_audit
from service.dao.people import PeopleSearch, Person, decide_link, evidence_for, find_people, person_of
from service.dao.privacy import (
    KEPT,
    WHY_KEPT,
    batches_holding_caller,
    calls_of,
    erasure_record,
    get_caller,
    requests_of,
)
from service.geo.phones import InvalidPhone, normalise_uk_phone
from service.models import LinkDecision, Role
from service.params import bounded_int
from service.personal_data import bp
from service.personal_data.erasure import erase_person, erased_notice, what_was_done
from service.personal_data.export import person_export
from service.reference import InvalidReference, parse_reference
from service.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from service.web import get_or_404
from service.words import plural

supervisors = role_required(Role.SUPERVISOR)
SEARCH_FIELDS = ("name", "postcode", "phone", "reference")


@transactional
def _audit(action: str, caller_id: int | None = None, **details) -> None:
    record_audit(current_user.id, action, "caller", caller_id, **details)


@bp.get("")
@supervisors
def search():
    typed = {k: request.args.get(k, "").strip() for k in SEARCH_FIELDS}
    errors: dict[str, str] = {}
    for name, value in typed.items():
        if has_control_characters(value):
            errors[name] = f"The {name} {CONTROL_CHARACTERS_MESSAGE}"
    phone = reference = None
    if typed["phone"] and "phone" not in errors:
        try:
            phone = normalise_uk_phone(typed["phone"])
        except InvalidPhone as problem:
            errors["phone"] = str(problem)
    if typed["reference"] and "reference" not in errors:
        try:
            reference = parse_reference(typed["reference"])
        except InvalidReference as problem:
            errors["reference"] = str(problem)
    searched = any(typed.values())
    people = None
    if searched and not errors:
        criteria = PeopleSearch(
            name=typed["name"],
            postcode=typed["postcode"],
            phone=phone,
            reference=reference,
            page=request.args.get("page", 1, type=bounded_int) or 1,
        )
        people = find_people(criteria)
        # Which fields were searched, never what was typed: search terms are personal data too.
        _audit("privacy.searched", fields=[k for k, v in typed.items() if v], found=people.total)
    return render_template("personal_data/search.html", people=people, errors=errors, args=request.args)


def _caller_or_404(caller_id: int):
    caller = get_caller(caller_id)
    if caller is None or caller.erased_at is not None:
        abort(404)
    return caller


def _confirmed_records(caller) -> tuple[Person, list]:
    """The person this record belongs to, and the records confirmed as theirs (what export and erase take)."""
    person = person_of(caller)
    return person, person.confirmed_with(caller.id)


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
            done=what_was_done(record) if (record := erasure_record(caller)) else [],
            requests=requests_of(caller),
        )
    person, confirmed = _confirmed_records(caller)
    _audit("privacy.viewed", caller_id, records=[c.id for c in person.callers])
    return render_template(
        "personal_data/show.html",
        caller=caller,
        person=person,
        confirmed={c.id for c in confirmed},
        requests={c.id: requests_of(c) for c in person.callers},
        calls={c.id: calls_of(c) for c in person.callers},
    )


@bp.post("/callers/<int:caller_id>/links/<int:other_id>")
@supervisors
def decide(caller_id: int, other_id: int):
    """Confirm that a suggested record is the same person, or split it off as someone else."""
    caller, other = _caller_or_404(caller_id), _caller_or_404(other_id)
    person = person_of(caller)
    # Only records shown together, or with evidence between them (a split taken back), can be decided on.
    if other.id == caller.id or (other.id not in {c.id for c in person.callers} and not evidence_for(caller, other)):
        abort(404)
    try:
        decision = LinkDecision(request.form.get("decision", ""))
    except ValueError:
        abort(400)
    decide_link(caller, other, decision, current_user.id)
    if decision == LinkDecision.CONFIRMED:
        flash(f"Record {other.id} confirmed as the same person as record {caller.id}.", "success")
    else:
        flash(f"Record {other.id} is marked as not the same person as record {caller.id}.", "success")
    shown = request.form.get("shown", type=bounded_int)
    back = shown if shown in {c.id for c in person.callers} else caller.id
    return redirect(url_for("personal_data.show", caller_id=back))


def _export_body(caller_id: int) -> tuple[dict, list]:
    caller = _caller_or_404(caller_id)
    _, records = _confirmed_records(caller)
    _audit("privacy.exported", caller_id, records=[c.id for c in records])
    return person_export(records), records


def _attachment(body: str, mimetype: str, name: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={name}", "Cache-Control": "no-store"},
    )


@bp.get("/callers/<int:caller_id>/export.json")
@supervisors
def export(caller_id: int):
    body, _ = _export_body(caller_id)
    return _attachment(
        json.dumps(body, indent=2, ensure_ascii=False), "application/json", f"subject-access-{caller_id}.json"
    )


@bp.get("/callers/<int:caller_id>/export.html")
@supervisors
def export_page(caller_id: int):
    """The same export as a page a person can read: one file, opened in any browser, printed if need be."""
    body, _ = _export_body(caller_id)
    page = render_template("personal_data/export.html", export=body)
    return _attachment(page, "text/html", f"subject-access-{caller_id}.html")


def _confirm_erase(caller, reason: str = "", error: str | None = None):
    person, records = _confirmed_records(caller)
    held = [
        plural(sum(len(requests_of(c)) for c in records), "request"),
        plural(sum(len(calls_of(c)) for c in records), "call"),
    ]
    unsent, printed = [], []
    for record in records:
        batches = batches_holding_caller(record)
        unsent += [b for b in batches[0] if b not in unsent]
        printed += [b for b in batches[1] if b not in printed]
    lines = [
        f"{batch.name} is not yet sent to print: it will be cancelled and its print file deleted, and its other "
        "packs will go in the next print run."
        for batch in unsent
    ] + [
        f"{batch.name} has been sent to print: its print file will be deleted. Its {KEPT} are kept, {WHY_KEPT}."
        for batch in printed
    ]
    if len(person.callers) > len(records):
        others = len(person.callers) - len(records)
        lines.append(
            f"{plural(others, 'other record')} suggested as the same person {'is' if others == 1 else 'are'} not "
            "erased: confirm the match on the person's page first."
        )
    records_held = f"{plural(len(records), 'record')}: " if len(records) > 1 else ""
    return render_confirmation(
        Confirmation(
            question=f"Erase the personal data of {caller.name or 'this person'}?",
            consequences=[
                "Their name, address, phone number, recorded messages, notes and rendered packs will be removed "
                f"everywhere they are held ({records_held}{held[0]} and {held[1]}).",
                *lines,
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
    _, records = _confirmed_records(caller)
    erase_person(records, current_user.id, current_user.display_name, reason)
    flash("Personal data erased. Counts, statuses and answers are kept without it.", "success")
    return redirect(url_for("personal_data.show", caller_id=caller.id))
