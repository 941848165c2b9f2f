"""Plain words on screen: one way to count things ("1 question", "7 questions", "1 person", "3 people")."""

from __future__ import annotations

# Nouns whose plural is not the singular plus "s".
IRREGULAR = {"person": "people", "batch": "batches", "copy": "copies", "entry": "entries", "is": "are"}


def plural_of(noun: str) -> str:
    """The plural of a noun: the irregular ones by table, a phrase by its first word ("format to send")."""
    first, _, rest = noun.partition(" ")
    many = IRREGULAR.get(first, first + "s")
    return f"{many} {rest}" if rest else many


def plural(count: int, noun: str, many: str | None = None, *, number: bool = True) -> str:
    """Count something in words: plural(1, "question") -> "1 question"; plural(7, "question") -> "7 questions".

    `noun` may be a phrase whose first word counts ("alternative format to send" does not: pass `many`).
    With number=False only the word is returned, for sentences that put the number elsewhere.
    """
    word = noun if count == 1 else (many or plural_of(noun))
    return f"{count:,} {word}" if number else word
