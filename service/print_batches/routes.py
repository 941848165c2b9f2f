"""Supervisors' screens for print batches: print runs, progress, downloads, sent to print, posted."""

from __future__ import annotations

import io

from flask import Response, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from service import storage
from service.auth import role_required
from service.confirm import Confirmation, DateQuestion, render_confirmation
from service.dao.consultations import get_consultation, list_consultations
from service.dao.form_keys import make_once
from service.dao.printing import (
    cancel_batch,
    get_batch,
    list_batches,
    load_packs,
    mark_batch_posted,
    mark_batch_sent_to_print,
    ready_groups,
    sent_to_print_today,
    undo_batch_sent_to_print,
)
from service.dao.requests import blank_pack_ids_made_by, create_blank_packs
from service.dates import DateProblem, TypedDate, parse_typed, parts_of, read_date_parts
from service.form_keys import submitted_form_key
from service.models import BatchStatus, IllegalTransition, PrintFormat, Role
from service.models.consultations import UK
from service.models.types import uk_today, utcnow
from service.params import bounded_int
from service.print_batches import bp
from service.print_batches.blank import blank_packs_problem, write_blank_packs
from service.print_batches.manifest import manifest_csv
from service.web import get_or_404
from service.words import plural

supervisors = role_required(Role.SUPERVISOR)


def _index(errors: dict | None = None, form=None):
    return render_template(
        "print_batches/index.html",
        batches=list_batches(),
        ready=len(ready_groups()),
        consultations=list_consultations(),
        errors=errors or {},
        form=form or {},
        blank_max=BLANK_PACKS_MAX,
    )


@bp.get("")
@supervisors
def index():
    return _index()


@bp.post("/run")
@supervisors
def run_now():
    from service.queues.enqueue import enqueue_print_run

    # One print run per click of the form, however often it is submitted.
    make_once("print_run", submitted_form_key(), lambda: int(enqueue_print_run(current_user.id)))
    flash("Print run started. New batches appear below as they are made.", "success")
    return redirect(url_for("print_batches.index"))


@bp.get("/<int:batch_id>")
@supervisors
def show(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    return render_template("print_batches/show.html", batch=batch, may_undo_sent=sent_to_print_today(batch, utcnow()))


@bp.get("/<int:batch_id>/progress")
@supervisors
def progress(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    return jsonify(status=batch.status.value, label=batch.status.label, done=batch.packs_built, total=batch.pack_count)


@bp.get("/<int:batch_id>/batch.pdf")
@supervisors
def download_pdf(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    if batch.file_key is None or not batch.file_key.endswith(".pdf") or batch.status == BatchStatus.CANCELLED:
        abort(404)
    return send_file(
        storage.path_for(batch.file_key),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"batch-{batch.id}.pdf",
    )


@bp.get("/<int:batch_id>/files.zip")
@supervisors
def download_files(batch_id: int):
    """A braille or audio batch: its BRF or MP3 files, for the print house."""
    batch = get_or_404(get_batch, batch_id)
    if batch.file_key is None or not batch.file_key.endswith(".zip") or batch.status == BatchStatus.CANCELLED:
        abort(404)
    response = send_file(
        storage.path_for(batch.file_key),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"batch-{batch.id}-{batch.format.value}.zip",
    )
    response.headers["Cache-Control"] = "no-store"  # names and addresses' letters
    return response


@bp.get("/<int:batch_id>/manifest.csv")
@supervisors
def download_manifest(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    if batch.status == BatchStatus.CANCELLED:
        abort(404)
    return Response(
        manifest_csv(batch.id),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=manifest-{batch.id}.csv", "Cache-Control": "no-store"},
    )


@bp.get("/<int:batch_id>/sent-to-print")
@supervisors
def confirm_sent_to_print(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    return render_confirmation(
        Confirmation(
            question=f"Mark {batch.name} as sent to print?",
            consequences=[
                f"Do this once the print file has gone to the printer. The {plural(batch.pack_count, 'pack')} in it, and their "
                "requests, will show as sent to print.",
                "If it was a mistake you can undo it today, until the batch is marked as posted.",
            ],
            action=url_for("print_batches.sent_to_print", batch_id=batch.id),
            button="Mark as sent to print",
            back_url=url_for("print_batches.show", batch_id=batch.id),
            back_label="No, go back to the batch",
        )
    )


@bp.post("/<int:batch_id>/sent-to-print")
@supervisors
def sent_to_print(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    try:
        mark_batch_sent_to_print(batch, current_user.id, current_user.display_name)
        flash(f"{batch.name} marked as sent to print. You can undo this today.", "success")
    except IllegalTransition as problem:
        flash(str(problem), "error")
    return redirect(url_for("print_batches.show", batch_id=batch_id))


@bp.post("/<int:batch_id>/sent-to-print/undo")
@supervisors
def undo_sent_to_print(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    try:
        undo_batch_sent_to_print(batch, current_user.id, current_user.display_name)
        flash(f"{batch.name} is no longer marked as sent to print: it is ready again.", "success")
    except IllegalTransition as problem:
        flash(str(problem), "error")
    return redirect(url_for("print_batches.show", batch_id=batch_id))


def _confirm_posted(batch, typed: TypedDate, problem: DateProblem | None = None):
    return render_confirmation(
        Confirmation(
            question=f"Mark {batch.name} as posted?",
            consequences=[
                f"The {plural(batch.pack_count, 'pack')} in it, and their requests, will show as posted on the date you give. "
                "A request lost in the post can still be reprinted from its page.",
            ],
            warning="This cannot be undone.",
            action=url_for("print_batches.posted", batch_id=batch.id),
            button="Mark as posted",
            back_url=url_for("print_batches.show", batch_id=batch.id),
            back_label="No, go back to the batch",
            date=DateQuestion(
                "posted_on",
                "Date posted",
                typed,
                hint="For example, 27 11 2026",
                error=problem.message if problem else None,
                bad_parts=problem.parts if problem else (),
            ),
        ),
        status=200,
    )


@bp.get("/<int:batch_id>/posted")
@supervisors
def confirm_posted(batch_id: int):
    today = uk_today()
    return _confirm_posted(get_or_404(get_batch, batch_id), TypedDate(parts_of(today, False)))


@bp.post("/<int:batch_id>/posted")
@supervisors
def posted(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    today = uk_today()
    typed = read_date_parts(request.form, "posted_on")
    try:
        posted_on = parse_typed(typed, "Date posted")
        if posted_on > today:
            raise DateProblem("Date posted must be today or in the past", ("day", "month", "year"))
        if posted_on < batch.created_at.astimezone(UK).date():
            raise DateProblem("Date posted cannot be before the batch was made", ("day", "month", "year"))
    except DateProblem as problem:
        return _confirm_posted(batch, typed, problem)
    try:
        mark_batch_posted(batch, posted_on, current_user.id, current_user.display_name)
        flash(f"{batch.name} marked as posted on {posted_on:%-d %B %Y}.", "success")
    except IllegalTransition as problem:
        flash(str(problem), "error")
    return redirect(url_for("print_batches.show", batch_id=batch_id))


@bp.get("/<int:batch_id>/cancel")
@supervisors
def confirm_cancel(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    return render_confirmation(
        Confirmation(
            question=f"Cancel {batch.name}?",
            consequences=[
                "Its print file and manifest will be deleted. Do not print any copy already downloaded.",
                f"The {plural(batch.pack_count, 'pack')} in it will wait for the next print run.",
            ],
            warning="This cannot be undone.",
            danger=True,
            action=url_for("print_batches.cancel", batch_id=batch.id),
            button="Cancel this batch",
            back_url=url_for("print_batches.show", batch_id=batch.id),
            back_label="No, keep the batch",
        )
    )


@bp.post("/<int:batch_id>/cancel")
@supervisors
def cancel(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    try:
        cancel_batch(batch, current_user.id, current_user.display_name)
        if batch.file_key:
            storage.delete(batch.file_key)
        flash(f"{batch.name} cancelled. Its packs will go in the next print run.", "success")
    except IllegalTransition as problem:
        flash(str(problem), "error")
    return redirect(url_for("print_batches.show", batch_id=batch_id))


BLANK_PACKS_MAX = 500


@bp.post("/blank-packs")
@supervisors
def blank_packs():
    """Make unpersonalised packs with their own references, to hand out at libraries and events."""
    consultation = get_consultation(request.form.get("consultation_id", type=bounded_int) or 0)
    count = request.form.get("count", type=bounded_int)
    print_format = request.form.get("format", "standard")
    errors = {}
    if consultation is None:
        errors["consultation_id"] = "Select the consultation the packs are for"
    if count is None or not 1 <= count <= BLANK_PACKS_MAX:
        errors["count"] = f"Enter how many packs, from 1 to {BLANK_PACKS_MAX}"
    if print_format not in ("standard", "large_print"):
        errors["format"] = "Select standard or large print"
    if consultation is not None and (
        problem := blank_packs_problem(consultation, utcnow(), confirmed=request.form.get("closed_ok") == "yes")
    ):
        errors["closed_ok"] = problem
    if errors:
        return _index(errors=errors, form=request.form), 200
    # One set of packs per submitted form: a double click or a retried POST downloads the same packs again.
    key = submitted_form_key()
    made: list[int] = []

    def make() -> int:
        made.extend(p.id for p in create_blank_packs(consultation.id, count, current_user.id, key))
        return made[0]

    _, new = make_once("blank_packs", key, make)
    pack_ids = made if new else blank_pack_ids_made_by(key)
    buffer = io.BytesIO()
    write_blank_packs(buffer, pack_ids, PrintFormat(print_format))
    buffer.seek(0)
    name = f"blank-packs-{consultation.slug}-{load_packs(pack_ids[:1])[0].reference}.pdf"
    return send_file(buffer, mimetype="application/pdf", as_attachment=True, download_name=name)
