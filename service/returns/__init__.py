"""Returned forms: receipt, double-keyed blind data entry, adjudication, progress and the responses export."""

from __future__ import annotations

from flask import Blueprint, Flask

from service.auth import role_required
from service.models import Consultation, Role
from service.questionnaires.definition import Questionnaire, load_questionnaire

bp = Blueprint("returns", __name__, url_prefix="/returns")

# Data entry staff receive and key; supervisors adjudicate, configure and export (and may do everything).
data_entry = role_required(Role.DATA_ENTRY)
supervisors = role_required(Role.SUPERVISOR)


def questionnaire_for(consultation: Consultation) -> Questionnaire:
    return load_questionnaire(consultation.questionnaire_file)


def init_app(app: Flask) -> None:
    from service.returns import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
