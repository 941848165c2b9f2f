"""Consultations."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from service.dao import transactional
from service.dao.audit import record_audit
from service.extensions import db
from service.models import Consultation
from service.questionnaires.definition import load_questionnaire

_FIELDS = (
    "organisation",
    "title",
    "summary",
    "phone_line",
    "online_survey_url",
    "text_sender",
    "opens_on",
    "closes_on",
    "questionnaire_file",
    "freepost_address",
    "after_closing",
    "decision_on",
    "late_replies_until",
    "takes_late_replies",
    "is_demo",
    "is_draft",
    "areas",
    "area_name",
    "area_codes",
    "postcode_file",
    "letter_text",
)


def get_consultation(consultation_id: int) -> Consultation | None:
    return db.session.get(Consultation, consultation_id)


def current_questionnaire_version(consultation: Consultation) -> int:
    """The version of the questionnaire that `consultation`'s packs and keying forms are made from now."""
    return questionnaire_version(consultation.questionnaire_file)


def questionnaire_version(questionnaire_file: str) -> int:
    """The version of the questionnaire in `questionnaire_file` (relative to pdf_templates/) now."""
    return load_questionnaire(questionnaire_file).version


def get_consultation_by_slug(slug: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def list_consultations() -> list[Consultation]:
    return list(db.session.scalars(select(Consultation).order_by(Consultation.closes_on.desc(), Consultation.title)))


def list_open_consultations(day: date) -> list[Consultation]:
    """Consultations open on `day`, soonest closing first."""
    query = (
        select(Consultation)
        .where(Consultation.opens_on <= day, Consultation.closes_on >= day)
        .order_by(Consultation.closes_on, Consultation.title)
    )
    return list(db.session.scalars(query))


def list_consultations_on_line(phone_line: str) -> list[Consultation]:
    """Consultations published with this phone number (E.164), soonest closing first."""
    # A stable order, so "press 1" always means the same consultation within a call.
    query = (
        select(Consultation)
        .where(Consultation.phone_line == phone_line)
        .order_by(Consultation.closes_on, Consultation.title, Consultation.id)
    )
    return list(db.session.scalars(query))


@transactional
def upsert_consultation(slug: str, values: dict[str, Any], actor_id: int | None = None) -> Consultation:
    """Create the consultation `slug`, or update its facts."""
    consultation = get_consultation_by_slug(slug)
    action = "consultation.updated"
    if consultation is None:
        consultation = Consultation(slug=slug)
        db.session.add(consultation)
        action = "consultation.created"
    for name in _FIELDS:
        if name in values:
            setattr(consultation, name, values[name])
    db.session.flush()
    record_audit(actor_id, action, "consultation", consultation.id, slug=slug)
    return consultation
