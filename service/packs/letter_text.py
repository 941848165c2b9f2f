"""The cover letter's own sentences: a consultation's `letter:` in its consultation.yaml may reword any of them;
a plain consultation says nothing and gets these."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class LetterText:
    """Sentences of the letter that are the consultation's to choose (plain text, escaped when laid out)."""

    # "How to take part": before the Freepost label's page and the deadline, which the service adds.
    how_to_take_part: str = (
        "This is a paper copy of our survey. Answer the questions on the pages after this letter, using a "
        "black or blue pen. You can answer as many or as few as you like."
    )
    # "What happens next" when the consultation's own `after_closing` is empty, or names a decision already due.
    no_decision_named: str = "We will publish what we heard."
    # "What happens next" in a letter dated after the closing date.
    after_closed: str = (
        "The consultation has closed. We are considering what people told us and will publish what we heard."
    )
    thank_you: str = "Thank you for taking part."

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> LetterText:
        """Build from a consultation's `letter:` mapping; an unknown or empty sentence is refused by name."""
        data = data or {}
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"letter: unknown wording {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        empty = sorted(name for name, text in data.items() if not str(text or "").strip())
        if empty:
            raise ValueError(f"letter: {', '.join(empty)} is empty: leave it out for the default wording")
        return cls(**{name: " ".join(str(text).split()) for name, text in data.items()})

    def overrides(self) -> dict[str, str]:
        """Only the sentences that differ from the defaults: what a consultation's row keeps."""
        default = LetterText()
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)
        }
