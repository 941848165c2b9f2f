"""The postal rules: what the letter can print in its envelope window and what a print-and-post service accepts.

One function, `window_problems`, is the rule. Intake (the request form, the phone menu, the address check,
corrections) and the renderer both call it, so a request that was accepted is a request that prints.

GOV.UK Notify's letter validation (notifications-utils' postal address, template-preview's precompiled checks)
refuses an address with fewer than 3 or more than 7 lines, with a line starting with one of
``@ ( ) = [ ] " \\ / , < > ~`` (`invalid-char-in-address`), or that says "no fixed abode". On top of that the
letter itself must print every character with the pack's font and fit every line across the window at the
letter's smallest address size, measured with that same font.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from reportlab.lib.units import mm

from service.packs.fonts import SCRIPT_FONTS, font_for, has_glyph
from service.packs.layout import (
    ADDRESS_BOTTOM_FROM_TOP_OF_PAGE_MM,
    ADDRESS_INSET_MM,
    ADDRESS_LEFT_FROM_LEFT_OF_PAGE_MM,
    ADDRESS_MIN_FONT_SIZE_PT,
    ADDRESS_RIGHT_FROM_LEFT_OF_PAGE_MM,
    ADDRESS_TOP_FROM_TOP_OF_PAGE_MM,
)
from service.packs.shaping import address_height, shaping_problem, string_width
from service.text import tidy

MIN_WINDOW_LINES = 3  # name, one address line, postcode
MAX_WINDOW_LINES = 7  # with the name and the postcode
# Notify refuses a line starting with any of these (its message shows the closing curly quote too).
NOT_ALLOWED_FIRST = '@()=[]"\\/,<>~\u201c\u201d'
WINDOW_HEIGHT_PT = (ADDRESS_BOTTOM_FROM_TOP_OF_PAGE_MM - ADDRESS_TOP_FROM_TOP_OF_PAGE_MM - 2 * ADDRESS_INSET_MM) * mm
WINDOW_WIDTH_PT = (ADDRESS_RIGHT_FROM_LEFT_OF_PAGE_MM - ADDRESS_LEFT_FROM_LEFT_OF_PAGE_MM - 2 * ADDRESS_INSET_MM) * mm
# Symbols that belong in addresses; every other symbol (emoji, arrows, maths) is refused.
ALLOWED_SYMBOLS = frozenset("+£€$°`´^")
_NO_FIXED_ABODE = re.compile(r"no fixed (abode|address)", re.IGNORECASE)
# Right-to-left letters print only in a script font the renderer shapes and orders (Arabic, Urdu, Hebrew: see
# service/packs/shaping.py); any other (Syriac, Thaana, N'Ko) is refused with a request for Latin letters.
_RIGHT_TO_LEFT = {"R", "AL"}


def normalise_line(text: str | None) -> str:
    """A line as stored and printed: composed characters (NFC), single spaces, no spaces at the ends."""
    return tidy(text)


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    shown = ch if unicodedata.category(ch)[0] not in "CZ" else ""
    if shown and name:
        return f"“{shown}” ({name.lower()})"
    return f"“{shown}”" if shown else f"a hidden character ({name.lower() or f'U+{ord(ch):04X}'})"


def character_problem(line: str) -> str | None:
    """Why a character of `line` cannot be printed, naming it; None when every character prints."""
    for ch in line:
        category = unicodedata.category(ch)
        if category[0] == "C" or (category[0] == "Z" and ch != " "):
            return f"Remove {_describe(ch)}: it cannot be printed"
        if category[0] == "S" and ch not in ALLOWED_SYMBOLS:
            return f"Remove {_describe(ch)}: a letter cannot print symbols like this"
        if unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT and font_for(ch) not in SCRIPT_FONTS:
            return f"The letter cannot print {_describe(ch)}: ask the caller to spell this in Latin letters"
        if not has_glyph(ch):
            return f"The letter cannot print {_describe(ch)}: ask the caller to spell this in Latin letters"
    return None


def line_width_pt(line: str) -> float:
    """How wide `line` prints at the letter's smallest address size, in the pack's own font."""
    return string_width(line, ADDRESS_MIN_FONT_SIZE_PT)


def line_problem(line: str, *, what: str = "This line") -> str | None:
    """Why one line of the window cannot be printed or posted, or None."""
    if not line.strip():
        return f"{what} is empty"
    if problem := character_problem(line) or shaping_problem(line):
        return problem
    if not any(ch.isalnum() for ch in line):
        return f"{what} must contain letters or numbers, not only punctuation"
    if line[0] in NOT_ALLOWED_FIRST:
        return (
            f"{what} cannot start with “{line[0]}”: the print service refuses it. "
            "Start with a letter or number, for example 'Basement Flat, 12 Canning Street'"
        )
    if line.strip().lower() == "nfa" or _NO_FIXED_ABODE.search(line):
        return "Royal Mail cannot deliver to no fixed abode: ask for an address where the caller can collect post"
    if line_width_pt(line) > WINDOW_WIDTH_PT:
        return (
            f"{what} is too long to fit the envelope window: shorten it, for example 'Flat 3' "
            "for 'Apartment Number Three', or move part of it to an empty line"
        )
    return None


def window_problems(lines: Sequence[str], labels: Sequence[str] | None = None) -> dict[int, str]:
    """Every problem with the lines of an envelope window (name, address, postcode last), by line index.

    Index -1 is a problem with the address as a whole (too few or too many lines). Empty means it prints.
    `labels` name the lines in the messages ("This name"); by default each is "This line".
    """
    problems: dict[int, str] = {}
    if not MIN_WINDOW_LINES <= len(lines) <= MAX_WINDOW_LINES:
        problems[-1] = (
            f"An address has {MIN_WINDOW_LINES} to {MAX_WINDOW_LINES} lines with the name and postcode, "
            f"not {len(lines)}"
        )
    for index, line in enumerate(lines):
        if problem := line_problem(line, what=labels[index] if labels else "This line"):
            problems[index] = problem
    if not problems and address_height(lines) * ADDRESS_MIN_FONT_SIZE_PT > WINDOW_HEIGHT_PT:
        # Only lines in a script that reaches far above or below the line (Arabic marks and tails) get here.
        problems[-1] = "These lines are too tall together for the envelope window: put the address on fewer lines"
    return problems


class AddressNotPrintable(ValueError):
    """The address breaks the postal rules (data from before they were checked at intake)."""

    def __init__(self, problems: dict[int, str]):
        self.problems = problems
        # Which lines, never what they say: `where` is what may go to a log.
        self.where = ", ".join("the address as a whole" if i < 0 else f"line {i + 1}" for i in sorted(problems))
        detail = "; ".join(
            f"{'address' if i < 0 else f'line {i + 1}'}: {message}" for i, message in sorted(problems.items())
        )
        super().__init__(f"the address breaks the postal rules ({detail})")


def check_window(lines: Sequence[str]) -> None:
    """Raise AddressNotPrintable when the window lines break the postal rules."""
    if problems := window_problems(lines):
        raise AddressNotPrintable(problems)
