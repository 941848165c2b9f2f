"""The responses export, for supervisors: CSV or JSON, one row per verified return, no personal data."""

from __future__ import annotations

import logging

from flask import Response, abort, render_template, request
from flask_login import current_user

from service.dao.consultations import get_consultation, list_consultations
from service.dao.returns import list_verified_returns, record_export
from service.returns import bp, questionnaire_for, supervisors
from service.returns.export import to_csv, to_json

log = logging.getLogger(__name__)
_FORMATS = {"csv": ("text/csv; charset=utf-8", to_csv), "json": ("application/json", to_json)}


@bp.get("/export")
@supervisors
def export():
    return render_template("returns/export.html", consultations=list_consultations())


@bp.get("/export.<file_format>")
@supervisors
def export_file(file_format: str):
    if file_format not in _FORMATS:
        abort(404)
    consultation = get_consultation(request.args.get("consultation", type=int) or 0)
    if consultation is None:
        abort(404)
    returns = list_verified_returns(consultation.id)
    mimetype, write = _FORMATS[file_format]
    body = write(questionnaire_for(consultation), returns)
    record_export(current_user.id, consultation.id, file_format, len(returns))
    log.info("Export of %s verified returns (%s) by staff user %s", len(returns), file_format, current_user.id)
    filename = f"{consultation.slug}-paper-responses.{file_format}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
