"""What one pack says: the renderer's whole input, free of Flask and the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from service.packs.letter_text import LetterText

PackFormat = Literal["standard", "large_print"]
FORMATS: tuple[PackFormat, ...] = ("standard", "large_print")
MIN_ADDRESS_LINES = 2  # with the name, 3 lines in the window: Notify's minimum
MAX_ADDRESS_LINES = 6  # with the name, 7 lines: Notify's maximum


@dataclass(frozen=True)
class ConsultationFacts:
    """The facts of one consultation that a pack prints."""

    slug: str
    organisation: str
    title: str
    summary: str
    phone_line: str  # E.164
    online_survey_url: str
    closes_on: date
    after_closing: str
    freepost_address: tuple[str, ...]
    questionnaire_file: str  # relative to pdf_templates/
    decision_on: date | None = None  # fills {decision_month} in after_closing
    late_replies_until: date | None = None  # replies after closing still read until this day
    draft: bool = False  # a draft put out for consultation: the letter's heading says "Draft <title>"
    letter: LetterText = LetterText()  # the letter's own sentences (defaults unless the consultation rewords them)

    @classmethod
    def from_facts(cls, facts: dict) -> ConsultationFacts:
        """Build from a consultation facts dict (`load_consultation_facts`, or a database row as a dict).

        `draft` and `letter` are as in consultation.yaml; a plain consultation has neither.
        """
        address = facts["freepost_address"]
        if isinstance(address, str):
            address = [line.strip() for line in address.splitlines()]
        return cls(
            slug=str(facts["slug"]),
            organisation=str(facts["organisation"]),
            title=str(facts["title"]),
            summary=" ".join(str(facts["summary"]).split()),
            phone_line=str(facts["phone_line"]),
            online_survey_url=str(facts["online_survey_url"]),
            closes_on=facts["closes_on"],
            after_closing=" ".join(str(facts.get("after_closing") or "").split()),
            freepost_address=tuple(line for line in address if line),
            questionnaire_file=str(facts["questionnaire_file"]),
            decision_on=facts.get("decision_on") or None,
            late_replies_until=facts.get("late_replies_until") or None,
            draft=bool(facts.get("draft", False)),
            letter=LetterText.from_data(facts.get("letter")),
        )


@dataclass(frozen=True)
class PackContent:
    """One pack: a reference, a format, who it goes to (None for a blank pack) and the consultation."""

    reference: str
    format: PackFormat
    recipient_name: str | None
    address_lines: tuple[str, ...]  # without the name; the last is the postcode; empty for a blank pack
    letter_date: date
    consultation: ConsultationFacts

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}")
        if not (self.reference.isdigit() and len(self.reference) == 10):
            raise ValueError("a pack reference has ten digits")
        if self.recipient_name is None:
            if self.address_lines:
                raise ValueError("a blank pack has no address")
        elif not MIN_ADDRESS_LINES <= len(self.address_lines) <= MAX_ADDRESS_LINES:
            raise ValueError(
                f"an address has {MIN_ADDRESS_LINES} to {MAX_ADDRESS_LINES} lines after the name, the last the postcode"
            )

    @property
    def wording(self):
        """The deadline and next step as true on the letter's date."""
        from service.packs.letter_wording import letter_wording  # it imports this module

        return letter_wording(self.consultation, self.letter_date)

    @property
    def window_lines(self) -> tuple[str, ...]:
        """The lines printed in the envelope window: name, then address, postcode last."""
        if self.recipient_name is None:
            return ()
        return (self.recipient_name, *self.address_lines)
