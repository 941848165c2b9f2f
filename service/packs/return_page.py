"""The return page: how to send the answers back, and the Freepost address as a cut-out label."""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from service.packs.content import ConsultationFacts
from service.packs.flowables import BOX_LINE_WIDTH_PT, Gap, NumberedStack, Stack, markup, para
from service.packs.layout import (
    CONTENT_BOTTOM_FROM_TOP_OF_PAGE_MM,
    CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM,
    CONTENT_RIGHT_FROM_LEFT_OF_PAGE_MM,
    CONTENT_TOP_FROM_TOP_OF_PAGE_MM,
    LABEL_BOTTOM_FROM_TOP_OF_PAGE_MM,
    LABEL_LEFT_FROM_LEFT_OF_PAGE_MM,
    LABEL_RIGHT_FROM_LEFT_OF_PAGE_MM,
    LABEL_TOP_FROM_TOP_OF_PAGE_MM,
    RETURN_STEPS_TOP_FROM_TOP_OF_PAGE_MM,
    STYLES,
    Rect,
)
from service.packs.letter_wording import LetterWording, letter_wording
from service.packs.paginate import Page, paginate
from service.packs.wording import phone, unbroken

LABEL_PADDING_MM = 4.0


class CutOutLabel(Flowable):
    """The Freepost address in a dashed box, to cut out and stick on an envelope."""

    def __init__(self, lines: list[Flowable], min_height: float):
        super().__init__()
        self.inner = Stack(lines)
        self.min_height = min_height

    def wrap(self, avail_width, avail_height):
        pad = LABEL_PADDING_MM * mm
        _, inner_height = self.inner.wrap(avail_width - 2 * pad, 10_000)
        self.width = avail_width
        self.height = max(self.min_height, inner_height + 2 * pad)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        canvas = self.canv
        canvas.setStrokeColor(black)
        canvas.setLineWidth(BOX_LINE_WIDTH_PT)
        canvas.setDash(4, 3)
        canvas.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canvas.setDash()
        pad = LABEL_PADDING_MM * mm
        # Vertically centred, as on a printed label.
        self.inner.drawOn(canvas, pad, (self.height - self.inner.height) / 2)


def _one_page(flowables: list[Flowable], frame: Rect) -> Page:
    (page,) = paginate(flowables, frame, frame, max_pages=1)
    return page


def return_page_frames(
    facts: ConsultationFacts, fmt: str, wording: LetterWording | None = None
) -> list[tuple[list[Flowable], Rect]]:
    """The return page's frames, each with the flowables it holds."""
    heading = Rect.from_top_left_mm(
        CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM,
        CONTENT_TOP_FROM_TOP_OF_PAGE_MM,
        CONTENT_RIGHT_FROM_LEFT_OF_PAGE_MM,
        LABEL_TOP_FROM_TOP_OF_PAGE_MM - 2,
    )
    beside_label = Rect.from_top_left_mm(
        CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM,
        LABEL_TOP_FROM_TOP_OF_PAGE_MM,
        LABEL_LEFT_FROM_LEFT_OF_PAGE_MM - 6,
        LABEL_BOTTOM_FROM_TOP_OF_PAGE_MM,
    )
    label = Rect.from_top_left_mm(
        LABEL_LEFT_FROM_LEFT_OF_PAGE_MM,
        LABEL_TOP_FROM_TOP_OF_PAGE_MM,
        LABEL_RIGHT_FROM_LEFT_OF_PAGE_MM,
        LABEL_BOTTOM_FROM_TOP_OF_PAGE_MM,
    )
    steps = Rect.from_top_left_mm(
        CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM,
        RETURN_STEPS_TOP_FROM_TOP_OF_PAGE_MM,
        CONTENT_RIGHT_FROM_LEFT_OF_PAGE_MM,
        CONTENT_BOTTOM_FROM_TOP_OF_PAGE_MM,
    )
    gutter = STYLES[fmt].number_gutter_mm

    def step(number: int, flowable: Flowable) -> Flowable:
        return NumberedStack(para(f"{number}.", fmt, "bold"), [flowable, Gap(3)], gutter)

    post_by = (wording or letter_wording(facts, facts.closes_on)).post_by
    return [
        ([para("How to send your answers back", fmt, "title")], heading),
        (
            [
                para("Freepost address label", fmt, "bold"),
                Gap(2),
                para("Cut along the dashed line and stick the label on your envelope.", fmt),
            ],
            beside_label,
        ),
        ([CutOutLabel([para(line, fmt, "bold") for line in facts.freepost_address], label.height)], label),
        (
            [
                step(1, para("Check your answers. You can leave out any question you do not want to answer.", fmt)),
                step(2, para("Put all the questionnaire pages in an envelope. Keep this letter.", fmt)),
                step(
                    3,
                    para(
                        "Stick the label above on the envelope, or copy the address onto it. You do not need a stamp.",
                        fmt,
                    ),
                ),
                step(4, markup(post_by, fmt)),
                Gap(3),
                markup(
                    f"Lost a page or the label? Phone <b>{escape(unbroken(phone(facts.phone_line)))}</b> and we will send "
                    "you another copy.",
                    fmt,
                ),
            ],
            steps,
        ),
    ]


@cache
def return_page(facts: ConsultationFacts, fmt: str, wording: LetterWording | None = None) -> Page:
    """Lay out the return page of a consultation in one format, once."""
    return tuple(
        placed for flowables, frame in return_page_frames(facts, fmt, wording) for placed in _one_page(flowables, frame)
    )
