"""Turn database rows into the renderer's input: what one pack says."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row

from service.dao.renders import Copy, RenderWork
from service.models import Consultation, Pack, PrintFormat
from service.models.consultations import UK
from service.packs.content import ConsultationFacts, PackContent, PackFormat
from service.packs.postal_rules import check_window

_FORMATS: dict[PrintFormat, PackFormat] = {PrintFormat.STANDARD: "standard", PrintFormat.LARGE_PRINT: "large_print"}


def consultation_facts(consultation: Consultation | Row[*tuple[Any, ...]]) -> ConsultationFacts:
    """The facts a pack prints, from the consultation's row (mapped, or its columns read by name)."""
    return ConsultationFacts.from_facts(
        {
            "slug": consultation.slug,
            "organisation": consultation.organisation,
            "title": consultation.title,
            "summary": consultation.summary,
            "phone_line": consultation.phone_line,
            "online_survey_url": consultation.online_survey_url,
            "closes_on": consultation.closes_on,
            "after_closing": consultation.after_closing,
            "freepost_address": consultation.freepost_address,
            "questionnaire_file": consultation.questionnaire_file,
            "decision_on": consultation.decision_on,
            "late_replies_until": consultation.late_replies_until,
            "draft": consultation.is_draft,
            "letter": consultation.letter_text,
        }
    )


def pack_format(print_format: PrintFormat) -> PackFormat:
    """The renderer's name for a format printed here; other formats are made by hand."""
    try:
        return _FORMATS[print_format]
    except KeyError:
        raise ValueError(f"{print_format.label} is made by hand, not printed here") from None


def pack_content(pack: Pack, print_format: PrintFormat | None = None) -> PackContent:
    """What `pack` says. The letter is dated the day the request was made, so a reprint is identical."""
    request = pack.request
    consultation = pack.consultation
    if request is None:  # a blank pack, handed out at a library or an event
        return PackContent(
            reference=pack.reference,
            format=pack_format(print_format or PrintFormat.STANDARD),
            recipient_name=None,
            address_lines=(),
            letter_date=pack.created_at.astimezone(UK).date(),
            consultation=consultation_facts(consultation),
        )
    caller = request.caller
    return letter_content(
        pack.reference,
        request.format,
        caller.name,
        caller.address_lines,
        request.created_at,
        consultation_facts(consultation),
    )


def copy_content(work: RenderWork, copy: Copy, consultation: ConsultationFacts) -> PackContent:
    """What one copy the render job draws says (`consultation`: the facts of `work.consultation`, made once)."""
    return letter_content(
        copy.reference, work.format, work.recipient_name, work.address_lines, work.requested_at, consultation
    )


def letter_content(
    reference: str,
    print_format: PrintFormat,
    name: str,
    address_lines: Sequence[str],
    requested_at: datetime,
    consultation: ConsultationFacts,
) -> PackContent:
    """What a caller's copy says: addressed to them, dated the day they asked (so a reprint is identical)."""
    # Checked here as well as at intake: rows saved before intake applied the postal rules.
    check_window((name, *address_lines))
    return PackContent(
        reference=reference,
        format=pack_format(print_format),
        recipient_name=name,
        address_lines=tuple(address_lines),
        letter_date=requested_at.astimezone(UK).date(),
        consultation=consultation,
    )
