"""What the caller said: tidy recognised speech, and read a postcode out of words like "el one nine bee queue"."""

from __future__ import annotations

import re

from service.geo.postcodes import InvalidPostcode, normalise_postcode
from service.text import tidy

_WORDS = {
    "zero": "0", "oh": "0", "nought": "0", "one": "1", "won": "1", "two": "2", "to": "2", "too": "2",
    "three": "3", "four": "4", "for": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "ate": "8",
    "nine": "9",
    "ay": "A", "bee": "B", "be": "B", "see": "C", "sea": "C", "cee": "C", "dee": "D", "ee": "E", "ef": "F",
    "eff": "F", "gee": "G", "jee": "G", "aitch": "H", "haitch": "H", "eye": "I", "jay": "J", "kay": "K",
    "el": "L", "ell": "L", "em": "M", "en": "N", "pee": "P", "pea": "P", "queue": "Q", "cue": "Q", "kew": "Q",
    "are": "R", "ar": "R", "ess": "S", "es": "S", "tee": "T", "tea": "T", "you": "U", "vee": "V",
    "doubleyou": "W", "ex": "X", "why": "Y", "wye": "Y", "zed": "Z", "zee": "Z",
}  # fmt: skip
_NATO = {
    "alpha", "alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
    "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
    "uniform", "victor", "whiskey", "whisky", "xray", "yankee", "zulu",
}  # fmt: skip
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def clean_answer(text: str | None, max_length: int) -> str:
    """Trim what the recogniser heard (it adds full stops) and keep it to a length that fits the envelope."""
    cleaned = tidy(text).strip(" .,!?")
    return cleaned[:max_length].rstrip()


def postcode_from_speech(text: str | None) -> str | None:
    """Return the postcode the caller said, normalised (`L1 9BQ`), or None when it is not a postcode."""
    spoken = (text or "").lower().replace("double you", "doubleyou").replace("x-ray", "xray")
    tokens = [t for t in _NOT_WORD.split(spoken) if t]
    characters: list[str] = []
    doubling = False
    for word in tokens:
        if word == "double":
            doubling = True
            continue
        if word in _WORDS:
            piece = _WORDS[word]
        elif word in _NATO:
            piece = word[0].upper()
        else:
            piece = word.upper()
        characters.append(piece * 2 if doubling and len(piece) == 1 else piece)
        doubling = False
    try:
        return normalise_postcode("".join(characters))
    except InvalidPostcode:
        return None


def confidence_of(value: str | None) -> float:
    """Twilio's Confidence (0 to 1); missing or unreadable counts as not confident at all."""
    try:
        confidence = float(value or "")
    except ValueError:
        return 0.0
    return confidence if 0.0 <= confidence <= 1.0 else 0.0
