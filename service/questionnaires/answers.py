"""What a keyed answer may be for each question, and how it reads back: one place for keying, adjudication
and export, so all three agree with the questionnaire definition."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.questionnaires.definition import Option, Question, Questionnaire, Section

MULTIPLE_SEPARATOR = ";"
TEXT_MAX = 5000
_SPACES = re.compile(r"\s+")


def missing_options(questionnaire: Questionnaire, question: Question) -> tuple[Option, ...]:
    """The missing codes a keyer may use for `question`: both for one-box questions, "not answered" otherwise."""
    if question.type == "text":
        return ()
    names = ("not_answered", "more_than_one") if question.type in ("scale", "single") else ("not_answered",)
    return tuple(questionnaire.missing_codes[name] for name in names if name in questionnaire.missing_codes)


def allowed_codes(questionnaire: Questionnaire, question: Question) -> list[str]:
    return [o.code for o in (*question.options, *missing_options(questionnaire, question))]


def normalise(question: Question, value: str) -> str:
    """The canonical form of an answer: trimmed text, or multiple-choice codes in the definition's order."""
    value = (value or "").strip()
    if question.type == "text":
        return "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n"))
    if question.type == "multiple":
        chosen = {part.strip() for part in value.split(MULTIPLE_SEPARATOR) if part.strip()}
        order = [o.code for o in question.options]
        known = [code for code in order if code in chosen]
        return MULTIPLE_SEPARATOR.join(known + sorted(chosen - set(order)))
    return value


def same_answer(question: Question, first: str, second: str) -> bool:
    """Say whether two entries agree; free text differing only in spacing counts as the same."""
    a, b = normalise(question, first), normalise(question, second)
    if question.type == "text":
        return _SPACES.sub(" ", a) == _SPACES.sub(" ", b)
    return a == b


def problem_with(questionnaire: Questionnaire, question: Question, value: str) -> str | None:
    """Return why `value` cannot be an answer to `question`, in words a keyer can act on, or None."""
    where = f"Question {question.number}"
    value = normalise(question, value)
    if question.type == "text":
        return f"{where}: the answer must be {TEXT_MAX} characters or fewer" if len(value) > TEXT_MAX else None
    missing = {o.code for o in missing_options(questionnaire, question)}
    not_answered = questionnaire.missing_codes.get("not_answered")
    codes = value.split(MULTIPLE_SEPARATOR) if question.type == "multiple" and value else [value] if value else []
    if not codes:
        hint = f", or {not_answered.label} ({not_answered.code})" if not_answered else ""
        return f"{where}: choose the answer ticked{hint}"
    unknown = [c for c in codes if c not in allowed_codes(questionnaire, question)]
    if unknown:
        return f"{where}: {', '.join(unknown)} is not one of its codes ({', '.join(allowed_codes(questionnaire, question))})"
    if len(codes) > 1 and missing & set(codes):
        return (
            f"{where}: choose the boxes ticked or {not_answered.label if not_answered else 'a missing code'}, not both"
        )
    return None


def label_for(questionnaire: Questionnaire, question: Question, value: str) -> str:
    """The answer in words: option labels (joined by ";" for several), or the text itself."""
    value = normalise(question, value)
    if question.type == "text":
        return value
    labels = {o.code: o.label for o in (*question.options, *missing_options(questionnaire, question))}
    return MULTIPLE_SEPARATOR.join(labels.get(code, code) for code in value.split(MULTIPLE_SEPARATOR) if code)


def chosen_codes(question: Question, value: str) -> set[str]:
    """The codes ticked in an answer (empty for free text)."""
    if question.type == "text":
        return set()
    return {code for code in normalise(question, value).split(MULTIPLE_SEPARATOR) if code}


@dataclass(frozen=True)
class ShownAnswer:
    """One question's answer as the paper shows it: which boxes are ticked, or the missing code used."""

    question: Question
    value: str
    ticked: frozenset[str]
    missing: Option | None


def answer_sheet(questionnaire: Questionnaire, answers: dict[str, str]) -> list[tuple[Section, list[ShownAnswer]]]:
    """The answers section by section, question by question, in the paper's order."""
    sheet = []
    for section in questionnaire.sections:
        shown = []
        for q in section.questions:
            value = normalise(q, answers.get(q.code, ""))
            missing = next((o for o in missing_options(questionnaire, q) if o.code == value), None)
            shown.append(ShownAnswer(q, value, frozenset(chosen_codes(q, value)), missing))
        sheet.append((section, shown))
    return sheet
