"""Turn a consultation facts file into database values."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.dao.consultations import upsert_consultation
from service.geo.areas import authorities_from_facts
from service.geo.phones import normalise_uk_phone
from service.geo.postcode_directory import extract_path, read_directory
from service.models import Consultation
from service.packs.letter_text import LetterText
from service.questionnaires import definition
from service.questionnaires.definition import load_consultation_facts, load_questionnaire
from service.texts.body import reference_text_body, text_sender_problem


def shipped_consultations() -> list[str]:
    """The slug of every consultation shipped as data: each folder of pdf_templates/ with a consultation.yaml."""
    return sorted(path.parent.name for path in definition.PDF_TEMPLATES.glob("*/consultation.yaml"))


def demonstration_source() -> str:
    """The slug of the consultation the demonstration copies: the one whose facts say `demonstration_source`."""
    sources = [slug for slug in shipped_consultations() if load_consultation_facts(slug).get("demonstration_source")]
    if len(sources) != 1:
        raise ValueError(f"one consultation.yaml must say demonstration_source: true, not {len(sources)}")
    return sources[0]


def values_from_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Check a facts file and return the consultation's column values."""
    load_questionnaire(facts["questionnaire_file"])  # fails loudly if the definition is broken
    authorities = authorities_from_facts(facts)
    return {
        "organisation": facts["organisation"],
        "title": facts["title"],
        "summary": facts.get("summary", ""),
        "phone_line": normalise_uk_phone(str(facts["phone_line"])),
        "online_survey_url": facts["online_survey_url"],
        "text_sender": _text_sender(facts),
        "opens_on": _as_date(facts["opens_on"]),
        "closes_on": _as_date(facts["closes_on"]),
        "questionnaire_file": facts["questionnaire_file"],
        "freepost_address": facts.get("freepost_address", ""),
        "after_closing": _after_closing(facts),
        "decision_on": _as_date(facts["decision_on"]) if facts.get("decision_on") else None,
        "late_replies_until": _as_date(facts["late_replies_until"]) if facts.get("late_replies_until") else None,
        "takes_late_replies": bool(facts.get("takes_late_replies", True)),
        "is_draft": bool(facts.get("draft", False)),
        "areas": list(authorities.values()),
        "area_name": str(facts.get("area_name") or "the area"),
        "area_codes": authorities,
        "postcode_file": _postcode_file(facts, set(authorities)),
        "letter_text": LetterText.from_data(facts.get("letter")).overrides(),
    }


def _postcode_file(facts: dict[str, Any], codes: set[str]) -> str:
    """The area's extract of the ONS Postcode Directory, checked to be made for exactly the authorities `codes`."""
    postcode_file = str(facts.get("postcode_file") or "").strip()
    remake = f"python -m service.geo.make_directory {facts.get('slug', '<slug>')}"
    if not codes:
        if postcode_file:
            raise ValueError("postcode_file: name the local authorities it is for under areas")
        return ""
    if not postcode_file:
        raise ValueError(f"postcode_file: the area's extract of the ONS Postcode Directory is missing ({remake})")
    path = extract_path(postcode_file)
    if not path.is_file():
        raise ValueError(f"postcode_file: {postcode_file} is not in pdf_templates/ ({remake})")
    if read_directory(path).authorities != codes:
        raise ValueError(f"postcode_file: {postcode_file} was made for other authorities than areas names ({remake})")
    return postcode_file


def _text_sender(facts: dict[str, Any]) -> str | None:
    """The sender of texts, checked now: a malformed sender, or a text that would not fit one message, stops here."""
    sender = str(facts.get("text_sender") or "").strip()
    if not sender:
        return None
    problem = text_sender_problem(sender)
    if problem:
        raise ValueError(f"text_sender: {problem}")
    sample = reference_text_body(
        "0000000000", facts["online_survey_url"], _as_date(facts["closes_on"]), facts["organisation"]
    )
    if sample is None:
        raise ValueError("text_sender: the online survey's address is too long for one text message")
    return sender


def _after_closing(facts: dict[str, Any]) -> str:
    text = " ".join(str(facts.get("after_closing", "")).split())
    if "{decision_month}" in text and not facts.get("decision_on"):
        raise ValueError("after_closing says {decision_month}: give the consultation a decision_on date")
    return text


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_consultation(slug: str) -> Consultation:
    """Create or refresh the consultation `slug` from its facts file."""
    return upsert_consultation(slug, values_from_facts(load_consultation_facts(slug)))
