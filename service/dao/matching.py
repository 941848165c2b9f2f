"""What a person types into a search box is literal: `%` and `_` match themselves, never "anything".

Every LIKE built from typed text goes through here, escaped (SQLAlchemy's `autoescape` puts `/` before `%`,
`_` and `/`, and says so with ESCAPE, which SQLite and PostgreSQL both honour).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, func

from service.text import match_key

# The characters LIKE reads as patterns; a name typed with one of them must also hold it, as typed.
LIKE_CHARACTERS = ("%", "_")


def contains_literally(column, typed: str) -> ColumnElement[bool]:
    """`column` holds `typed`, case aside, with no character of `typed` read as a pattern."""
    return func.lower(column).contains(typed.lower(), autoescape=True)


def starts_literally(column, typed: str) -> ColumnElement[bool]:
    return column.startswith(typed, autoescape=True)


def name_matches(key_column, name_column, typed: str) -> ColumnElement[bool]:
    """A name (part) as people type it: folded for accents, case and punctuation ("obrien" finds "O'Brien").

    Folding drops `%` and `_`, so "%" alone would fold to nothing and match every name: typed text that
    holds a pattern character must also be found, as typed, in the name itself.
    """
    key = match_key(typed)
    typed = typed.strip()
    literal = contains_literally(name_column, typed)
    if not key:
        # Nothing left to fold against: only the characters as typed (a name seldom holds "%").
        return literal if typed else false()
    folded = key_column.contains(key, autoescape=True)
    if any(ch in typed for ch in LIKE_CHARACTERS):
        return and_(folded, literal)
    return folded
