"""Read a closed answer out of what the caller said: "agree", "I strongly agree", "number three", "skip"."""

from __future__ import annotations

import enum
import re

from service.questionnaires.definition import Option, Question


class Command(enum.StrEnum):
    SKIP = "skip"
    REPEAT = "repeat"
    BACK = "back"


_COMMANDS = {
    "skip": Command.SKIP,
    "skip it": Command.SKIP,
    "skip this question": Command.SKIP,
    "pass": Command.SKIP,
    "next question": Command.SKIP,
    "repeat": Command.REPEAT,
    "repeat that": Command.REPEAT,
    "say that again": Command.REPEAT,
    "again": Command.REPEAT,
    "back": Command.BACK,
    "go back": Command.BACK,
    "previous question": Command.BACK,
}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_NEGATIONS = {"not", "dont", "no", "never"}
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def words(text: str) -> str:
    """Lower case, apostrophes dropped (`don't` -> `dont`), `&` as "and", other punctuation as spaces."""
    text = (text or "").lower().replace("'", "").replace("\u2019", "").replace("&", " and ")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _contains(haystack: str, needle: str) -> bool:
    return f" {needle} " in f" {haystack} "


def option_from_speech(question: Question, speech: str) -> Option | Command | None:
    """The option (or command) the caller said, or None when it is not clear which one they meant."""
    said = words(speech)
    if not said:
        return None
    if said in _COMMANDS:
        return _COMMANDS[said]
    labels = {words(o.label): o for o in question.options}
    if said in labels:
        return labels[said]
    number = said.removeprefix("option ").removeprefix("number ").removeprefix("press ")
    index = int(number) if number.isdigit() else _NUMBERS.get(number)
    if index is not None:
        return question.options[index - 1] if 1 <= index <= len(question.options) else None
    # The longest label said within the answer ("I strongly agree" is Strongly agree, not Agree) ...
    found = sorted((label for label in labels if _contains(said, label)), key=len, reverse=True)
    if found:
        label = found[0]
        negated = _NEGATIONS & set(said.split()) - set(label.split())
        return None if negated else labels[label]
    # ... or the one label that contains everything said ("neither", "individual").
    partial = [option for label, option in labels.items() if _contains(label, said)]
    return partial[0] if len(partial) == 1 else None
