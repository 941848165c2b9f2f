"""A braille or audio request's files: the BRF, the MP3 (played in the page or downloaded), the transcript.

Call handlers and supervisors only: the letter in each file names the caller.
"""

from __future__ import annotations

from flask import abort, request, send_file

from service import storage
from service.auth import role_required
from service.dao.accessible_files import get_accessible_file
from service.dao.requests import get_request
from service.models import Role
from service.requests import bp
from service.web import get_or_404

MIMETYPES = {"brf": "text/plain; charset=us-ascii", "mp3": "audio/mpeg", "txt": "text/plain; charset=utf-8"}


@bp.get("/<int:request_id>/packs/<int:pack_id>.<any(brf, mp3, txt):extension>")
@role_required(Role.CALL_HANDLER)
def accessible_file(request_id: int, pack_id: int, extension: str):
    paper_request = get_or_404(get_request, request_id)
    if pack_id not in {p.id for p in paper_request.packs}:
        abort(404)
    made = get_accessible_file(pack_id)
    if made is None or (extension != "txt" and made.extension != extension):
        abort(404)
    key = made.transcript_key if extension == "txt" else made.file_key
    if key is None:  # not audio (no transcript), or erased
        abort(404)
    reference = next(p.reference for p in paper_request.packs if p.id == pack_id)
    suffix = "-transcript.txt" if extension == "txt" else f".{extension}"
    # conditional: range requests, so the audio player can seek.
    response = send_file(
        storage.path_for(key),
        mimetype=MIMETYPES[extension],
        as_attachment=bool(request.args.get("download")),
        download_name=f"{paper_request.format.value}-{reference}{suffix}",
        conditional=True,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
