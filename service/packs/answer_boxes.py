"""Where every answer box of a pack is, page by page: walked from the very layout the renderer draws, so the
scan reader and the printed page can never disagree about a box's position."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.units import mm

from service.packs.content import ConsultationFacts, PackFormat
from service.packs.flowables import Stack, TickOption, WritingBox
from service.packs.layout import PAGE_HEIGHT_MM
from service.packs.render import pack_layout


@dataclass(frozen=True)
class AnswerBox:
    """One tick box (option_code set) or writing box (option_code empty), in mm from the page's top-left."""

    question_code: str
    option_code: str
    left_mm: float
    top_mm: float
    width_mm: float
    height_mm: float

    @property
    def is_tick_box(self) -> bool:
        return bool(self.option_code)


def _walk(flowable, x: float, y: float):
    # (flowable, bottom-left in points) for every answer box inside `flowable`, drawn at (x, y).
    if isinstance(flowable, (TickOption, WritingBox)):
        yield flowable, x, y
    elif isinstance(flowable, Stack):
        for child, dx, dy in flowable.placements():
            yield from _walk(child, x + dx, y + dy)


def _box(flowable, x: float, y: float) -> AnswerBox:
    left, bottom, width, height = flowable.box_rect()
    return AnswerBox(
        question_code=flowable.question_code,
        option_code=getattr(flowable, "option_code", ""),
        left_mm=(x + left) / mm,
        top_mm=PAGE_HEIGHT_MM - (y + bottom + height) / mm,
        width_mm=width / mm,
        height_mm=height / mm,
    )


@cache
def answer_boxes(consultation: ConsultationFacts, fmt: PackFormat) -> dict[int, tuple[AnswerBox, ...]]:
    """Pack page number (from 1) -> the answer boxes on it, for every questionnaire page of the pack."""
    out: dict[int, tuple[AnswerBox, ...]] = {}
    for number, page in enumerate(pack_layout(consultation, fmt).pages, start=1):
        if page.kind != "questionnaire":
            continue
        out[number] = tuple(
            _box(f, x, y) for placed in page.content for f, x, y in _walk(placed.flowable, placed.x, placed.y)
        )
    return out


def questionnaire_page_numbers(consultation: ConsultationFacts, fmt: PackFormat) -> tuple[int, ...]:
    """The pack page numbers that carry questions (a reader expects these back)."""
    return tuple(number for number, boxes in answer_boxes(consultation, fmt).items() if boxes)
