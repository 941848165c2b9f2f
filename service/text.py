"""Small text helpers shared across features."""

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Control characters a person never means to type: NUL (which PostgreSQL refuses in text), escapes, DEL.
# Tab, line feed and carriage return are white space in a text area, so they stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTERS_MESSAGE = (
    "cannot contain control characters (such as NUL), which cannot be printed or stored. Remove them and try again"
)


def has_control_characters(value: str | None) -> bool:
    return value is not None and CONTROL_CHARACTERS.search(value) is not None


def without_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def match_key(value: str) -> str:
    """Fold text for matching: no accents, case, punctuation or repeated spaces ("Siân  O'Brien" -> "sian obrien")."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = [_NOT_ALNUM.sub("", word) for word in ascii_only.split()]
    return " ".join(word for word in words if word)


def tidy(value: str | None) -> str:
    """Trim and collapse internal white space, keeping what the person typed otherwise (composed: NFC)."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


# A spreadsheet runs a cell starting with one of these as a formula (the returns export guards the same way).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str | None) -> str:
    """Text safe for a CSV that someone opens in a spreadsheet: no control characters, never a formula."""
    text = "".join(ch for ch in (value or "") if unicodedata.category(ch) != "Cc" or ch == " ")
    return "'" + text if text.startswith(FORMULA_STARTS) else text
