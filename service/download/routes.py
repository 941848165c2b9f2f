"""The download page and its files. The link's secret is the only key: the page names no one and shows no
reference, so a link that reached the wrong person gives away no more than the recording itself."""

from __future__ import annotations

from flask import make_response, render_template, request, send_file

from service import storage
from service.dao.deliveries import count_download, delivery_by_link, link_digest, pack_of
from service.download import bp
from service.models.types import utcnow

MIMETYPES = {"mp3": "audio/mpeg", "txt": "text/plain; charset=utf-8"}
TOKEN_MAX = 100  # a real link's secret is 43 characters


def _found(token: str):
    if len(token) > TOKEN_MAX:
        return None
    return delivery_by_link(link_digest(token), utcnow())


def _private(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the link never leaves in a Referer header
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _gone():
    return _private(render_template("download/gone.html")), 404


@bp.get("/<token>")
def show(token: str):
    found = _found(token)
    if found is None:
        return _gone()
    delivery, made = found
    consultation = pack_of(delivery).consultation
    return _private(
        render_template("download/show.html", token=token, made=made, delivery=delivery, consultation=consultation)
    )


@bp.get("/<token>/<any(mp3, txt):extension>")
def file(token: str, extension: str):
    found = _found(token)
    if found is None:
        return _gone()
    delivery, made = found
    key = made.file_key if extension == "mp3" else made.transcript_key
    if key is None:
        return _gone()
    if extension == "mp3" and request.args.get("download"):
        count_download(delivery.id)
    response = send_file(
        storage.path_for(key),
        mimetype=MIMETYPES[extension],
        as_attachment=bool(request.args.get("download")),
        download_name="survey-audio.mp3" if extension == "mp3" else "survey-audio-words.txt",
        conditional=True,  # range requests, so the player can seek
    )
    return _private(response)
