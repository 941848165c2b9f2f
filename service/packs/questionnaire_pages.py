"""The questionnaire pages, built from the consultation's definition, laid out once per process and format."""

from __future__ import annotations

from functools import cache

from reportlab.platypus import Flowable

from service.packs.flowables import Gap, NumberedStack, Stack, TickOption, WritingBox, para
from service.packs.layout import CONTENT_FRAME, STYLES
from service.packs.paginate import Page, paginate
from service.questionnaires.definition import Question, Questionnaire, load_questionnaire


def question_block(question: Question, fmt: str) -> NumberedStack:
    """One question with its instruction and answer boxes, never to be split by a page break."""
    style = STYLES[fmt]
    children: list[Flowable] = [para(question.text, fmt, "bold")]
    if question.help:
        children += [Gap(1), para(question.help, fmt)]
    children += [Gap(1.5), para(question.instruction, fmt, "bold"), Gap(2)]
    if question.type == "text":
        children.append(WritingBox(question.lines, style, question.code))
    else:
        children += [TickOption(para(o.label, fmt), style, question.code, o.code) for o in question.options]
    children.append(Gap(style.block_gap_mm))
    return NumberedStack(para(question.number, fmt, "bold"), children, style.number_gutter_mm)


def questionnaire_flowables(questionnaire: Questionnaire, fmt: str) -> list[Flowable]:
    """Every block of the questionnaire, in order; headings kept with the question that follows them."""
    style = STYLES[fmt]
    blocks: list[Flowable] = []
    lead: list[Flowable] = [para(questionnaire.title, fmt, "title"), Gap(2), para(questionnaire.intro, fmt), Gap(6)]
    for section in questionnaire.sections:
        lead += [para(section.title, fmt, "heading"), Gap(1.5)]
        if section.intro:
            lead += [para(section.intro, fmt), Gap(style.block_gap_mm)]
        first, *others = [question_block(q, fmt) for q in section.questions]
        blocks.append(Stack([*lead, first]))
        blocks += others
        lead = [Gap(2)]
    blocks.append(
        Stack(
            [
                para("Thank you for taking part", fmt, "heading"),
                Gap(1.5),
                para(
                    "Please post all these questionnaire pages back to us. The Freepost address label is on the "
                    "back of the letter. You do not need a stamp.",
                    fmt,
                ),
            ]
        )
    )
    return blocks


@cache
def questionnaire_pages(questionnaire_file: str, fmt: str) -> tuple[Page, ...]:
    """Lay out the questionnaire of one file in one format (once per process; the result is shared)."""
    blocks = questionnaire_flowables(load_questionnaire(questionnaire_file), fmt)
    return tuple(paginate(blocks, CONTENT_FRAME, CONTENT_FRAME))
