"""One scanned page, start to finish: which page it is, lined up, every box read, written answers cut out."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import cv2
import numpy as np

from service.packs.answer_boxes import AnswerBox, answer_boxes
from service.packs.content import ConsultationFacts, PackFormat
from service.packs.layout import STYLES
from service.scans.align import Aligned, NotAligned, align
from service.scans.identify import PageIdentity, identify
from service.scans.images import PX_PER_MM, PageImage
from service.scans.marks import BoxRead, read_tick_box, read_writing_box, unsure
from service.scans.snap import snap

BLANK_INK_SHARE = 0.002  # a page with less dark than this has nothing printed on it: the back of a sheet
CROP_MARGIN_MM = 2.0
OUTLINE_NOT_FOUND = "the printed box was not found where it should be on the scan"


class PageOutcome(enum.StrEnum):
    READ = "read"  # identified, lined up, boxes read
    NO_BOXES = "no_boxes"  # identified, but a page with nothing to read (the letter, the return page)
    NOT_IDENTIFIED = "not_identified"  # no barcode could be read: a person types the reference
    NOT_ALIGNED = "not_aligned"  # identified, but the registration marks could not be found
    BLANK = "blank"  # nothing printed on it


@dataclass
class PageRead:
    outcome: PageOutcome
    identity: PageIdentity | None = None
    upright: np.ndarray | None = None  # the page as scanned, turned the right way up
    aligned: Aligned | None = None
    boxes: list[BoxRead] = field(default_factory=list)
    problem: str = ""


def is_blank(pixels: np.ndarray) -> bool:
    """Say whether a page has nothing printed or written on it."""
    small = cv2.resize(pixels, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    paper = float(np.percentile(small, 90))
    return float((small < paper - 60).mean()) < BLANK_INK_SHARE


def upright_page(page: PageImage) -> tuple[np.ndarray, PageIdentity | None]:
    """The page turned portrait and the right way up (by its barcode), and which page it is."""
    pixels, raw = page.pixels, page.raw
    if pixels.shape[1] > pixels.shape[0]:
        pixels = cv2.rotate(pixels, cv2.ROTATE_90_CLOCKWISE)
        raw = cv2.rotate(raw, cv2.ROTATE_90_CLOCKWISE) if raw is not None else None
    identity = identify(pixels)
    if identity is None and raw is not None:
        # Smoothing a black-and-white scan helps the marks but can merge a barcode's narrow bars.
        identity = identify(cv2.medianBlur(raw, 3))
    if identity is not None and identity.upside_down:
        pixels = cv2.rotate(pixels, cv2.ROTATE_180)
    return pixels, identity


def read_boxes(aligned: Aligned, boxes: tuple[AnswerBox, ...], fmt: PackFormat) -> list[BoxRead]:
    line = STYLES[fmt].writing_line_mm
    boxes, lost = snap(aligned, boxes)
    reads = [read_tick_box(aligned, b) if b.is_tick_box else read_writing_box(aligned, b, line) for b in boxes]
    return [unsure(r, OUTLINE_NOT_FOUND) if r.box.question_code in lost else r for r in reads]


def read_known_page(
    pixels: np.ndarray, identity: PageIdentity, consultation: ConsultationFacts, fmt: PackFormat
) -> PageRead:
    """Line up and read a page whose pack is known (its consultation and format)."""
    boxes = answer_boxes(consultation, fmt).get(identity.page_number)
    if not boxes:
        return PageRead(PageOutcome.NO_BOXES, identity, pixels)
    try:
        aligned = align(pixels)
    except NotAligned as error:
        return PageRead(PageOutcome.NOT_ALIGNED, identity, pixels, problem=str(error))
    return PageRead(PageOutcome.READ, identity, pixels, aligned, read_boxes(aligned, boxes, fmt))


def crop(aligned: Aligned, boxes: list[AnswerBox], margin_mm: float = CROP_MARGIN_MM) -> np.ndarray:
    """Cut the rectangle round `boxes` (with a margin) from the lined-up page."""
    left = min(b.left_mm for b in boxes) - margin_mm
    top = min(b.top_mm for b in boxes) - margin_mm
    right = max(b.left_mm + b.width_mm for b in boxes) + margin_mm
    bottom = max(b.top_mm + b.height_mm for b in boxes) + margin_mm
    y0, y1 = max(0, int(top * PX_PER_MM)), int(bottom * PX_PER_MM)
    x0, x1 = max(0, int(left * PX_PER_MM)), int(right * PX_PER_MM)
    return aligned.pixels[y0:y1, x0:x1]
