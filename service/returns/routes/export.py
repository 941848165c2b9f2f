"""The responses export, for supervisors: CSV or JSON, one row per verified return or phone response, no personal data."""

from __future__ import annotations

import logging

from flask import Response, abort, render_template, request
from flask_login import current_user

from service.dao.consultations import get_consultation, list_consultations
from service.dao.phone_responses import list_verified_phone_responses
from service.dao.returns import list_verified_returns, record_export
from service.params import bounded_int
from service.returns import bp, questionnaire_for, supervisors
from service.returns.export import rows, to_csv, to_json
from service.web import get_or_404

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
    consultation = get_or_404(get_consultation, request.args.get("consultation", type=bounded_int) or 0)
    questionnaire = questionnaire_for(consultation)
    export_rows = rows(
        questionnaire, list_verified_returns(consultation.id), list_verified_phone_responses(consultation.id)
    )
    mimetype, write = _FORMATS[file_format]
    body = write(questionnaire, export_rows)
    record_export(current_user.id, consultation.id, file_format, len(export_rows))
    log.info("Export of %s verified responses (%s) by staff user %s", len(export_rows), file_format, current_user.id)
    filename = f"{consultation.slug}-responses.{file_format}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
