"""Compare two keyings of one return, question by question, in the questionnaire's order."""

from __future__ import annotations

from dataclasses import dataclass

from service.models.returns import Answers
from service.questionnaires.answers import normalise, same_answer
from service.questionnaires.definition import Question, Questionnaire


@dataclass(frozen=True)
class Disagreement:
    question: Question
    first: str
    second: str


def disagreements(questionnaire: Questionnaire, first: Answers, second: Answers) -> list[Disagreement]:
    """Every question on which the two entries differ."""
    return [
        Disagreement(q, normalise(q, first.get(q.code, "")), normalise(q, second.get(q.code, "")))
        for q in questionnaire.questions
        if not same_answer(q, first.get(q.code, ""), second.get(q.code, ""))
    ]


def final_answers(questionnaire: Questionnaire, first: Answers, decisions: dict[str, str] | None = None) -> Answers:
    """The verified answers: the first entry where both agreed, a supervisor's decision where they did not."""
    decisions = decisions or {}
    return {q.code: normalise(q, decisions.get(q.code, first.get(q.code, ""))) for q in questionnaire.questions}
