"""Data entry screens for scanned returns: upload and progress, pages to place, verifying unsure boxes.

Scan images are personal data: only data entry staff and supervisors see them, never cached by the browser.
"""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from service import storage
from service.auth import role_required
from service.dao.requests import get_pack_by_reference
from service.dao.returns import get_return
from service.dao.scans import (
    PageAlreadyPlaced,
    count_pages_to_place,
    count_waiting_marks,
    create_scan,
    decide_marks,
    get_mark,
    get_scan,
    get_scan_page,
    list_pages_to_place,
    list_scan_pages,
    list_scans,
    marks_of_return,
    next_return_to_verify,
    pages_of_return,
)
from service.models import Role, ScanPageStatus, ScanStatus
from service.models.scans import DISCARD_REASONS
from service.questionnaires.definition import load_questionnaire
from service.reference import InvalidReference, parse_reference
from service.scans import bp
from service.scans.cli import store_upload
from service.scans.entry import complete_if_ready, missing_pages
from service.scans.images import UnreadableFile, count_pages
from service.scans.pictures import mark_picture, page_picture
from service.web import get_or_404

data_entry = role_required(Role.DATA_ENTRY)
supervisor = role_required(Role.SUPERVISOR)
MAX_FILES = 20  # ids in URLs are 32-bit integers: larger ones never reach a query (`int(max=...)`)


def _image(png: bytes) -> Response:
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


def _index(error: str | None = None, status: int = 200):
    returns_waiting, marks_waiting = count_waiting_marks()
    body = render_template(
        "scans/index.html",
        scans=list_scans(),
        to_place=count_pages_to_place(),
        returns_waiting=returns_waiting,
        marks_waiting=marks_waiting,
        error=error,
    )
    return body, status


@bp.get("")
@data_entry
def index():
    return _index()


@bp.post("")
@data_entry
def upload():
    from service.queues.enqueue import enqueue_scan_read

    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return _index("Choose one or more scanned files (PDF, TIFF, JPEG or PNG)", 400)
    if len(files) > MAX_FILES:
        return _index(f"Upload at most {MAX_FILES} files at a time", 400)
    checked = []
    for upload_file in files:
        try:
            data = upload_file.read()
        finally:
            upload_file.close()  # a large upload is a temporary file: closed as soon as it is read
        try:
            pages = count_pages(data)
        except UnreadableFile as error:
            return _index(f"{upload_file.filename}: {error}", 400)
        if pages < 1:
            return _index(f"{upload_file.filename} has no pages", 400)
        checked.append((upload_file.filename, data, pages))
    made = []
    for name, data, pages in checked:
        scan = create_scan(store_upload(data), name, pages, current_user.id)
        made.append(scan)
        try:
            enqueue_scan_read(scan.id)
        except Exception:  # the queue is down: the scan waits, and "Read again" queues it
            flash(f"{name} is saved but could not be queued yet: open it and choose Read again.", "warning")
    if len(made) == 1:
        return redirect(url_for("scans.show", scan_id=made[0].id))
    flash(f"{len(made)} scans uploaded: they are read one after another.", "success")
    return redirect(url_for("scans.index"))


def _scan_or_404(scan_id: int):
    return get_or_404(get_scan, scan_id)


@bp.get("/<int(max=2147483647):scan_id>")
@data_entry
def show(scan_id: int):
    scan = _scan_or_404(scan_id)
    pages = list_scan_pages(scan.id)
    return_ids = sorted({p.return_id for p in pages if p.return_id is not None})
    returns = []
    for return_id in return_ids:
        ret = get_return(return_id)
        returns.append((ret, missing_pages(return_id), sum(1 for m in marks_of_return(return_id) if m.value is None)))
    return render_template("scans/show.html", scan=scan, pages=pages, returns=returns)


@bp.get("/<int(max=2147483647):scan_id>/progress")
@data_entry
def progress(scan_id: int):
    scan = _scan_or_404(scan_id)
    return jsonify(status=scan.status.value, label=scan.status.label, done=scan.pages_read, total=scan.page_count)


@bp.post("/<int(max=2147483647):scan_id>/read-again")
@data_entry
def read_again(scan_id: int):
    from service.queues.enqueue import enqueue_scan_read

    scan = _scan_or_404(scan_id)
    if scan.status == ScanStatus.DONE:
        flash("This scan has been read. Pages already read are never read again.", "success")
    elif enqueue_scan_read(scan.id):
        flash("Reading again, from the first page not yet read.", "success")
    else:
        flash("This scan is already being read.", "success")
    return redirect(url_for("scans.show", scan_id=scan.id))


@bp.get("/pages/<int(max=2147483647):page_id>/image")
@data_entry
def page_image(page_id: int):
    page = get_scan_page(page_id)
    if page is None or page.image_key is None:
        abort(404)
    return _image(page_picture(page))


@bp.get("/marks/<int(max=2147483647):mark_id>/image")
@data_entry
def mark_image(mark_id: int):
    mark = get_mark(mark_id)
    if mark is None or mark.page.image_key is None:
        abort(404)
    return _image(mark_picture(mark))


@bp.get("/to-place")
@data_entry
def to_place():
    return _to_place_page({}, {})


def _to_place_page(errors: dict, typed: dict, status: int = 200):
    body = render_template(
        "scans/to_place.html",
        pages=list_pages_to_place(),
        errors=errors,
        typed=typed,
        discard_reasons=DISCARD_REASONS,
        may_discard=current_user.has_role(Role.SUPERVISOR),
    )
    return body, status


@bp.post("/pages/<int(max=2147483647):page_id>/place")
@data_entry
def place(page_id: int):
    from service.scans.intake import place_page
    from service.scans.pictures import stored_pixels

    page = get_scan_page(page_id)
    # A page to place keeps its image until it is placed or discarded.
    if page is None or page.status != ScanPageStatus.TO_PLACE or page.image_key is None:
        flash("That page has already been placed.", "success")
        return redirect(url_for("scans.to_place"))
    typed = {
        "reference": request.form.get("reference", "")[:40],
        "page_number": request.form.get("page_number", "")[:5],
    }
    errors = {}
    pack = None
    try:
        pack = get_pack_by_reference(parse_reference(typed["reference"]))
        if pack is None:
            errors["reference"] = "No pack has this reference: check it against the page"
    except InvalidReference as error:
        errors["reference"] = str(error)
    number = typed["page_number"].strip()
    if not (number.isascii() and number.isdigit() and 1 <= int(number) <= 99):
        errors["page_number"] = "Enter the page number printed at the foot of the page, for example 4"
    if errors or pack is None:  # no pack without an error about its reference
        return _to_place_page({page.id: errors}, {page.id: typed}, 400)
    pixels = stored_pixels(page.image_key)
    image_key = page.image_key
    try:
        placed = place_page(
            page.scan_id, page.position, pixels, pack, int(number), current_user.id, placed_by_id=current_user.id
        )
    except PageAlreadyPlaced:
        flash("That page has already been placed.", "success")
        return redirect(url_for("scans.to_place"))
    if placed.image_key is None:  # nothing on it to keep (a letter page): its picture goes too
        storage.delete_with_temporary_files(image_key)
    if placed.return_id is not None:
        complete_if_ready(placed.return_id)
    flash(f"Page placed: {placed.status.label.lower()}.", "success")
    return redirect(url_for("scans.to_place"))


@bp.post("/pages/<int(max=2147483647):page_id>/discard")
@supervisor
def discard(page_id: int):
    """A supervisor deletes a page nobody can place: not ours, unreadable even by eye, or its writer asked
    for erasure (no search by name can find a page without a reference)."""
    from service.personal_data.erasure import discard_page

    reason = request.form.get("reason", "")
    page = get_scan_page(page_id)
    if page is None:
        abort(404)
    if reason not in DISCARD_REASONS:
        return _to_place_page({page.id: {"reason": "Choose why this page is to be deleted"}}, {}, 400)
    if discard_page(page.id, reason, current_user.id):
        flash(f"Page {page.position} of scan {page.scan_id} deleted: {DISCARD_REASONS[reason].lower()}.", "success")
    else:
        flash("That page had already been placed or deleted.", "success")
    return redirect(url_for("scans.to_place"))


@bp.get("/verify")
@data_entry
def verify_next():
    after = request.args.get("after", "0")
    after_id = int(after) if after.isascii() and after.isdigit() and len(after) < 10 else 0
    return_id = next_return_to_verify(after_id) or (next_return_to_verify(0) if after_id else None)
    if return_id is None:
        return render_template("scans/verify_none.html")
    return redirect(url_for("scans.verify", return_id=return_id))


def _verify_page(ret, errors: dict[int, str], typed: dict[int, str], status: int = 200):
    questionnaire = load_questionnaire(ret.consultation.questionnaire_file)
    questions = {q.code: q for q in questionnaire.questions}
    waiting = [m for m in marks_of_return(ret.id) if m.decided_at is None]
    body = render_template(
        "scans/verify.html",
        ret=ret,
        waiting=waiting,
        questions=questions,
        errors=errors,
        typed=typed,
        illegible=questionnaire.illegible_marker,
        tick_ids={m.id for m in waiting if m.is_tick_box},
    )
    return body, status


def _return_or_404(return_id: int):
    return get_or_404(get_return, return_id)


@bp.get("/verify/<int(max=2147483647):return_id>")
@data_entry
def verify(return_id: int):
    return _verify_page(_return_or_404(return_id), {}, {})


@bp.post("/verify/<int(max=2147483647):return_id>")
@data_entry
def save_verification(return_id: int):
    ret = _return_or_404(return_id)
    waiting = [m for m in marks_of_return(ret.id) if m.decided_at is None]
    values: dict[int, str] = {}
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    for mark in waiting:
        raw = request.form.get(f"mark-{mark.id}", "")
        typed[mark.id] = raw
        if mark.is_tick_box:
            if raw not in ("1", "0"):
                errors[mark.id] = "Choose whether this box is ticked"
            else:
                values[mark.id] = raw
        elif "\x00" in raw or len(raw) > 5000:
            errors[mark.id] = "Type the answer as written, in 5000 characters or fewer"
        else:
            values[mark.id] = raw.replace("\r\n", "\n").strip()
    if errors:
        return _verify_page(ret, errors, typed, 400)
    decide_marks(ret.id, values, current_user.id)
    if complete_if_ready(ret.id):
        flash(f"Return {ret.id} verified from its scan: its first entry is saved.", "success")
    else:
        flash(f"Return {ret.id}: your answers are saved.", "success")
    return redirect(url_for("scans.verify_next", after=ret.id))


@bp.get("/returns/<int(max=2147483647):return_id>")
@data_entry
def return_pages(return_id: int):
    ret = _return_or_404(return_id)
    return render_template(
        "scans/return.html",
        ret=ret,
        pages=pages_of_return(ret.id),
        missing=missing_pages(ret.id),
        waiting=sum(1 for m in marks_of_return(ret.id) if m.decided_at is None),
    )


@bp.post("/returns/<int(max=2147483647):return_id>/finish")
@data_entry
def finish_without_missing(return_id: int):
    ret = _return_or_404(return_id)
    if complete_if_ready(ret.id, allow_missing_pages=True):
        flash("Saved: the questions on the missing pages are recorded as not answered.", "success")
    else:
        flash("Not saved: decide the boxes waiting first, or the return has already been keyed.", "warning")
    return redirect(url_for("scans.return_pages", return_id=ret.id))
