"""What the letter says about time: the deadline and what happens next, from the consultation's data and the
letter's date, so that a late pack never asks for a reply by a date already past."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from service.packs.content import ConsultationFacts
from service.packs.wording import closing_date, unbroken

DECISION_MONTH = "{decision_month}"


@dataclass(frozen=True)
class LetterWording:
    """The sentences of the letter that depend on its date (mini-markup, already escaped)."""

    deadline: str  # "Please post your answers to reach us by <b>...</b>."
    post_by: str  # the return page's last step: "Post it to reach us by <b>...</b>."
    after_closing: str  # plain text for "What happens next"


def _day(day: date) -> str:
    return escape(unbroken(closing_date(day)))


def letter_wording(facts: ConsultationFacts, letter_date: date) -> LetterWording:
    """The deadline and next step as true on `letter_date`."""
    if letter_date <= facts.closes_on:
        deadline = f"Please post your answers to reach us by <b>{_day(facts.closes_on)}</b>."
        post_by = f"Post it to reach us by <b>{_day(facts.closes_on)}</b>."
    elif facts.late_replies_until and letter_date < facts.late_replies_until:
        deadline = (
            f"The consultation closed on {_day(facts.closes_on)}, but we will still read answers that reach us by "
            f"<b>{_day(facts.late_replies_until)}</b>."
        )
        post_by = f"Post it to reach us by <b>{_day(facts.late_replies_until)}</b>."
    else:
        deadline = (
            f"The consultation closed on {_day(facts.closes_on)}. Please still send your answers: we will pass "
            "them on to the team that is considering what people told us."
        )
        post_by = "Post it as soon as you can."
    return LetterWording(deadline=deadline, post_by=post_by, after_closing=after_closing(facts, letter_date))


def after_closing(facts: ConsultationFacts, letter_date: date) -> str:
    """ "What happens next", never in the past tense of a future it names: a decision already due is not promised."""
    text = facts.after_closing
    decision_ahead = facts.decision_on is not None and facts.decision_on > letter_date
    if letter_date > facts.closes_on and not decision_ahead:
        return facts.letter.after_closed
    if DECISION_MONTH in text:
        if not decision_ahead:
            return facts.letter.no_decision_named
        text = text.replace(DECISION_MONTH, f"{facts.decision_on:%B %Y}")
    return text or facts.letter.no_decision_named
