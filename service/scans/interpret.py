"""From boxes to answers: the codes a keyer would have typed for what the boxes show.

A box filled in solid is a cancelled choice when another box of the question is ticked; on its own it could be
either, so a person decides. More than one box in a one-box question is `more_than_one` (-2), none is
`not_answered` (-1), exactly as on paper keying.
"""

from __future__ import annotations

from dataclasses import replace

from service.questionnaires.answers import MULTIPLE_SEPARATOR
from service.questionnaires.definition import Question, Questionnaire
from service.scans.marks import BoxRead, BoxState


def settle(reads: list[BoxRead]) -> list[BoxRead]:
    """Send a lone filled-in box of a question to a person (it may be a heavy tick rather than a cancel)."""
    ticked_questions = {r.box.question_code for r in reads if r.state in (BoxState.TICKED, BoxState.UNSURE)}
    return [
        replace(r, state=BoxState.UNSURE, confidence=0.3, note="filled in: a cancelled choice, or the answer?")
        if r.state == BoxState.FILLED and r.box.question_code not in ticked_questions
        else r
        for r in reads
    ]


def answer_from_ticks(questionnaire: Questionnaire, question: Question, ticked: dict[str, bool]) -> str:
    """The keyed value for `question` given which of its option boxes are chosen."""
    chosen = [o.code for o in question.options if ticked.get(o.code)]
    if not chosen:
        missing = questionnaire.missing_codes.get("not_answered")
        return missing.code if missing else ""
    if question.type == "multiple":
        return MULTIPLE_SEPARATOR.join(chosen)
    if len(chosen) > 1:
        missing = questionnaire.missing_codes.get("more_than_one")
        return missing.code if missing else MULTIPLE_SEPARATOR.join(chosen)
    return chosen[0]
