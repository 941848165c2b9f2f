"""A request's packs: preview and download; retry a failed pack; reprint one lost in the post."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from service.auth import role_required
from service.dao.printing import load_packs, reprint_request, retry_pack
from service.dao.requests import get_request
from service.models import RequestStatus, Role
from service.packs.assemble import pack_content
from service.packs.files import read_stored_pack
from service.packs.render import render_pack
from service.personal_data.erasure import erased_notice
from service.requests import bp
from service.requests.routes.requests import render_request_page
from service.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters
from service.web import get_or_404


@bp.get("/<int:request_id>/packs/<int:pack_id>.pdf")
@role_required(Role.CALL_HANDLER)
def pack_file(request_id: int, pack_id: int):
    paper_request = get_request(request_id)
    if (
        paper_request is None
        or pack_id not in {p.id for p in paper_request.packs}
        or not paper_request.format.printed_here
    ):
        abort(404)
    if notice := erased_notice(paper_request.caller):
        # Nothing to show: the letter named the person. Said plainly rather than drawn with blank lines.
        return render_template("requests/erased_pack.html", paper_request=paper_request, notice=notice), 410
    pack = next(p for p in paper_request.packs if p.id == pack_id)
    name = f"pack-{pack.reference}.pdf"
    as_attachment = bool(request.args.get("download"))
    # The stored render, checked against its row's hash; before the worker gets to it (or if the file was
    # lost), the same pages drawn now.
    pdf = read_stored_pack(pack.file_key, pack.file_sha256) or render_pack(pack_content(load_packs([pack_id])[0]))
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"{'attachment' if as_attachment else 'inline'}; filename={name}"
    response.headers["Cache-Control"] = "no-store"  # a name and address: never kept by a browser or proxy
    return response


@bp.post("/<int:request_id>/retry-pack")
@role_required(Role.SUPERVISOR)
def retry(request_id: int):
    paper_request = get_or_404(get_request, request_id)
    if paper_request.status != RequestStatus.PACK_FAILED:
        flash("Only a request whose pack failed can be retried.", "error")
    else:
        retry_pack(paper_request, current_user.id, current_user.display_name)
        flash("The pack will be made again.", "success")
    return redirect(url_for("requests.show", request_id=request_id))


@bp.post("/<int:request_id>/reprint")
@role_required(Role.SUPERVISOR)
def reprint(request_id: int):
    paper_request = get_or_404(get_request, request_id)
    reason = (request.form.get("reason") or "").strip()
    if paper_request.status != RequestStatus.POSTED:
        flash("Only a posted pack can be reprinted.", "error")
    elif has_control_characters(reason):
        flash(f"The reason {CONTROL_CHARACTERS_MESSAGE}.", "error")
    elif not reason:
        return render_request_page(
            paper_request, "Enter why the pack is being reprinted, for example: lost in the post"
        )
    else:
        reprint_request(paper_request, current_user.id, current_user.display_name, reason[:200])
        flash("The pack will be reprinted, with the same reference, in the next print run.", "success")
    return redirect(url_for("requests.show", request_id=request_id))
