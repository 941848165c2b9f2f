"""The text's wording: the reference and the online survey's address in one plain GSM-7 message.

A message in GSM-7 holds 160 characters (characters of the extension table, such as `~` or `€`, count
two); one character outside GSM-7 makes the whole message UCS-2, 70 characters a part, and three parts
cost three times as much. So the wording is chosen from a few, longest first, and every character checked.
"""

from __future__ import annotations

import re
from datetime import date

from service.reference import format_reference

MESSAGE_LIMIT = 160
# GSM 03.38's basic character set (one septet each) and its extension table (an escape plus one septet).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
_E164 = re.compile(r"\+[1-9]\d{6,14}")
# Alphanumeric sender IDs: up to 11 letters, digits and spaces, with at least one letter.
_ALPHANUMERIC = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}")


def gsm7_length(text: str) -> int | None:
    """The message's length in GSM-7 septets, or None if any character is not in GSM-7."""
    length = 0
    for character in text:
        if character in GSM7_BASIC:
            length += 1
        elif character in GSM7_EXTENSION:
            length += 2
        else:
            return None
    return length


def fits_one_message(text: str) -> bool:
    length = gsm7_length(text)
    return length is not None and length <= MESSAGE_LIMIT


def _short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def reference_text_body(reference: str, online_url: str, closes_on: date, organisation: str) -> str | None:
    """The text for one reference: the longest wording that fits one GSM-7 message, or None if none does."""
    shown, closes = format_reference(reference), _short_date(closes_on)
    wordings = (
        f"{organisation}: your survey reference is {shown}. Respond online at {online_url} by {closes}.",
        f"Your survey reference is {shown}. Respond online at {online_url} by {closes}.",
        f"Your reference: {shown}. Online: {online_url} Closes {closes}.",
        f"Your reference: {shown}. Online: {online_url}",
    )
    return next((text for text in wordings if fits_one_message(text)), None)


def text_sender_problem(sender: str) -> str | None:
    """What is wrong with a consultation's text sender, or None: an E.164 number or an alphanumeric ID."""
    if _E164.fullmatch(sender) or _ALPHANUMERIC.fullmatch(sender):
        return None
    return "give a Twilio number in E.164 (+447700900000) or a sender name of up to 11 letters and digits"
