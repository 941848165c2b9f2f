"""The returns blueprint and who may use its screens."""

from __future__ import annotations

from flask import Blueprint

from service.auth import role_required
from service.models import Consultation, Role
from service.questionnaires.definition import Questionnaire, load_questionnaire

bp = Blueprint("returns", __name__, url_prefix="/returns")

# Data entry staff receive and key; supervisors adjudicate, configure and export (and may do everything).
data_entry = role_required(Role.DATA_ENTRY)
supervisors = role_required(Role.SUPERVISOR)


def questionnaire_for(consultation: Consultation) -> Questionnaire:
    return load_questionnaire(consultation.questionnaire_file)
