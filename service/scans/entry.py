"""A scanned return's first entry: once every page is in and every unsure box and written answer is decided,
its answers are saved as entry 1, exactly as if keyed, and the usual rules take over (second entry under
double keying, the verification sample under single keying)."""

from __future__ import annotations

from service.dao.returns import get_return, save_keying
from service.dao.scans import marks_of_return, pages_of_return
from service.models import ReturnStatus, ScanMark
from service.models.keying_rules import KeyingRefused
from service.packs.answer_boxes import questionnaire_page_numbers
from service.questionnaires.answers import normalise
from service.questionnaires.definition import Questionnaire, load_questionnaire
from service.scans.interpret import answer_from_ticks


def answers_from_marks(questionnaire: Questionnaire, marks: list[ScanMark]) -> dict[str, str]:
    """Every question's keyed value from its decided marks; a question with no marks is not answered."""
    ticks: dict[str, dict[str, bool]] = {}
    texts: dict[str, str] = {}
    for mark in marks:
        if mark.is_tick_box:
            ticks.setdefault(mark.question_code, {})[mark.option_code] = mark.value == "1"
        else:
            texts[mark.question_code] = mark.value or ""
    answers = {}
    for question in questionnaire.questions:
        if question.type == "text":
            answers[question.code] = normalise(question, texts.get(question.code, ""))
        else:
            answers[question.code] = answer_from_ticks(questionnaire, question, ticks.get(question.code, {}))
    return answers


def missing_pages(return_id: int) -> list[int]:
    """Questionnaire pages of the return's pack that have not been read yet."""
    from service.scans.intake import pack_geometry

    ret = get_return(return_id)
    if ret is None or ret.pack is None:
        return []
    facts, fmt = pack_geometry(ret.pack)
    read = {p.page_number for p in pages_of_return(return_id)}
    return [n for n in questionnaire_page_numbers(facts, fmt) if n not in read]


def complete_if_ready(return_id: int, allow_missing_pages: bool = False) -> bool:
    """Save the scanned entry if everything is decided (and every page is in, unless allowed otherwise)."""
    ret = get_return(return_id)
    if ret is None or ret.status != ReturnStatus.RECEIVED or ret.keyings:
        return False
    marks = marks_of_return(return_id)
    if not marks or any(m.decided_at is None for m in marks):
        return False
    if not allow_missing_pages and missing_pages(return_id):
        return False
    questionnaire = load_questionnaire(ret.consultation.questionnaire_file)
    # Every mark is decided by now (checked above): the keyer is whoever decided last, if a person did.
    people = [
        (m.decided_at, m.decided_by_id) for m in marks if m.decided_by_id is not None and m.decided_at is not None
    ]
    keyer_id = max(people, key=lambda decided: decided[0])[1] if people else None
    started = min(p.created_at for p in pages_of_return(return_id))
    try:
        save_keying(return_id, keyer_id, answers_from_marks(questionnaire, marks), started, questionnaire, "scanned")
    except KeyingRefused:
        return False  # someone keyed it by hand, or another process saved the scanned entry first
    return True
