"""Supervisors' screens for print batches: print runs, progress, downloads, sent to print, posted."""

from __future__ import annotations

import io
from datetime import date

from flask import Response, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from service import storage
from service.auth import role_required
from service.dao.consultations import get_consultation, list_consultations
from service.dao.printing import (
    cancel_batch,
    get_batch,
    list_batches,
    mark_batch_posted,
    mark_batch_sent_to_print,
    ready_groups,
)
from service.dao.requests import create_blank_packs
from service.models import BatchStatus, IllegalTransition, PrintFormat, Role
from service.models.consultations import UK
from service.models.types import uk_today, utcnow
from service.print_batches import bp
from service.print_batches.blank import blank_packs_problem, write_blank_packs
from service.print_batches.manifest import manifest_csv
from service.web import get_or_404

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

    enqueue_print_run(current_user.id)
    flash("Print run started. New batches appear below as they are made.", "success")
    return redirect(url_for("print_batches.index"))


@bp.get("/<int:batch_id>")
@supervisors
def show(batch_id: int):
    today = uk_today()
    return render_template(
        "print_batches/show.html",
        batch=get_or_404(get_batch, batch_id),
        today=today,
        error=None,
        posted_on=today.isoformat(),
    )


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


@bp.post("/<int:batch_id>/sent-to-print")
@supervisors
def sent_to_print(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    try:
        mark_batch_sent_to_print(batch, current_user.id, current_user.display_name)
        flash(f"{batch.name} marked as sent to print.", "success")
    except IllegalTransition as problem:
        flash(str(problem), "error")
    return redirect(url_for("print_batches.show", batch_id=batch_id))


@bp.post("/<int:batch_id>/posted")
@supervisors
def posted(batch_id: int):
    batch = get_or_404(get_batch, batch_id)
    today = uk_today()
    text = (request.form.get("posted_on") or "").strip()
    error = None
    try:
        posted_on = date.fromisoformat(text)
    except ValueError:
        posted_on, error = None, "Enter the date the batch was posted, like 27/11/2026"
    if posted_on and posted_on > today:
        error = "The posting date cannot be in the future"
    if posted_on and posted_on < batch.created_at.astimezone(UK).date():
        error = "The posting date cannot be before the batch was made"
    if error:
        return render_template("print_batches/show.html", batch=batch, today=today, error=error, posted_on=text)
    try:
        mark_batch_posted(batch, posted_on, current_user.id, current_user.display_name)
        flash(f"{batch.name} marked as posted on {posted_on:%-d %B %Y}.", "success")
    except IllegalTransition as problem:
        flash(str(problem), "error")
    return redirect(url_for("print_batches.show", batch_id=batch_id))


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
    consultation = get_consultation(request.form.get("consultation_id", type=int) or 0)
    count = request.form.get("count", type=int)
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
    packs = create_blank_packs(consultation.id, count, current_user.id)
    buffer = io.BytesIO()
    write_blank_packs(buffer, [p.id for p in packs], PrintFormat(print_format))
    buffer.seek(0)
    name = f"blank-packs-{consultation.slug}-{packs[0].reference}.pdf"
    return send_file(buffer, mimetype="application/pdf", as_attachment=True, download_name=name)
