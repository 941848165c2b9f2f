"""Dates and phone numbers the way a letter prints them."""

from __future__ import annotations

from datetime import date

from service.geo.phones import display_uk_phone


def letter_date(day: date) -> str:
    """`2 December 2020`."""
    return f"{day.day} {day:%B %Y}"


def closing_date(day: date) -> str:
    """`Wednesday 13 January 2021`."""
    return f"{day:%A} {day.day} {day:%B %Y}"


NO_BREAK_SPACE = "\u00a0"


def phone(e164: str) -> str:
    """`0151 330 1249`."""
    return display_uk_phone(e164)


def unbroken(text: str) -> str:
    """`text` with no-break spaces, so a phone number or date is never split across lines."""
    return text.replace(" ", NO_BREAK_SPACE)
