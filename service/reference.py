"""Reference numbers: ten random digits, the last a Damm check digit, shown as `482 913 5570`.

Damm's check digit catches every single-digit error and every swap of two adjacent digits, so a
mistyped reference is refused instead of finding the wrong pack. Digits only, so a caller can key one
on a phone pad; random, so one reference says nothing about another.
"""

from __future__ import annotations

import re
import secrets

# Damm's totally anti-symmetric quasigroup of order 10.
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
LENGTH = 10
_SEPARATORS = re.compile(r"[\s\-.]")


class InvalidReference(ValueError):
    """A reference that cannot be right; the message says why, in words a person can act on."""


def check_digit(digits: str) -> str:
    """Return the Damm check digit for a string of digits."""
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def new_reference() -> str:
    """Return a fresh random reference (the caller must still make sure it is unused)."""
    body = str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(LENGTH - 2))
    return body + check_digit(body)


def parse_reference(text: str) -> str:
    """Return the reference typed or scanned as `text`, as ten digits, or raise InvalidReference."""
    digits = _SEPARATORS.sub("", text or "")
    if not digits:
        raise InvalidReference("Enter the reference number")
    if not (digits.isascii() and digits.isdigit()):  # "٣" and "①" are digits to Python, not on a keypad
        raise InvalidReference("A reference number has digits only")
    if len(digits) != LENGTH:
        raise InvalidReference(f"A reference number has {LENGTH} digits; this has {len(digits)}")
    if check_digit(digits) != "0":
        raise InvalidReference("This reference number is not right: check each digit against the form")
    return digits


def format_reference(reference: str) -> str:
    """Group a reference for reading aloud and printing: `4829135570` -> `482 913 5570`."""
    return f"{reference[:3]} {reference[3:6]} {reference[6:]}"
