"""Read one answer box by its ink on the grey image: ticked, empty, filled in (a respondent's "untick"),
or unsure, with a confidence.

Ink is measured as contrast against the page's own paper and print levels, not against a fixed black-and-white
threshold, so a faint pencil tick counts as ink while scanner noise does not. The box's printed border is left
out (the inside is shrunk by more than the border and any alignment error); ink outside it on three or four
sides, or a heavy ring of it, is a circle drawn round the box, and goes to a person.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

import cv2
import numpy as np

from service.packs.answer_boxes import AnswerBox
from service.scans.align import Aligned
from service.scans.images import PX_PER_MM

INSET_MM = 0.9  # border (0.42 mm) plus alignment error, kept out of the inside
RING_FROM_MM, RING_TO_MM = 0.5, 1.7  # outside the border, short of the next box (2.2 mm away)
FAINT_CONTRAST = 0.16  # a pixel this much darker than paper (as a share of paper-to-print) is ink
STRONG_CONTRAST = 0.5
EMPTY_BELOW = 0.025  # share of the inside with ink
TICKED_FROM = 0.06
FILLED_FROM = 0.72  # share of the inside with strong ink: filled in
SOLID_BELOW = 0.55  # a heavy tick or cross still leaves this much of the inside light
CIRCLED_FROM = 0.12  # share of the ring with ink
# A circle drawn tight round a box hugs its border above and below (a large-print box is wide, and people draw
# circles flatter than tall), so it leaves only a thin arc in the ring and the ring's share misses it. What a
# circle always does is go round: each side of the box has ink just outside it, along part of its length. Other
# ink near an empty box (a neighbour's tick running over, a pen resting on the border, a line under the label)
# reaches one or two sides.
SIDE_STRIP_MM = (0.55, 1.6)  # outside the border's blurred edge, short of the next box's (2.2 mm away)
SIDE_ALONG = 0.8  # the middle of each side: a corner belongs to two sides, and a neighbour's mark reaches it first
SIDE_INKED_FROM = 0.15  # share of a side's length with ink beside it
CIRCLED_SIDES = 3  # a circle with a gap in it still goes round three sides...
# ...and one flattened against the top and bottom (or the sides) still passes beside the other two, which no
# single stray mark does.
WRITTEN_FROM = 0.003  # share of a writing box with ink, ruled lines left out


class BoxState(enum.StrEnum):
    EMPTY = "empty"
    TICKED = "ticked"
    FILLED = "filled"  # filled in solid: read as not chosen
    UNSURE = "unsure"  # a person decides
    WRITTEN = "written"  # a writing box with something in it: a person keys it from the image


@dataclass(frozen=True)
class BoxRead:
    box: AnswerBox
    state: BoxState
    ink: float  # share of the inside with ink
    confidence: float  # 0.5-1 for a sure reading, below 0.5 for an unsure one
    note: str = ""  # why it is unsure, in a keyer's words


def unsure(read: BoxRead, note: str) -> BoxRead:
    """The same reading, left to a person (with why)."""
    return replace(read, state=BoxState.UNSURE, confidence=min(read.confidence, 0.2), note=note)


def _region(aligned: Aligned, left: float, top: float, right: float, bottom: float) -> np.ndarray:
    x0, y0 = int(round(left * PX_PER_MM)), int(round(top * PX_PER_MM))
    x1, y1 = int(round(right * PX_PER_MM)), int(round(bottom * PX_PER_MM))
    return aligned.pixels[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]


def local_paper(aligned: Aligned, box: AnswerBox) -> float:
    """The paper's grey level round one box: paper darkens and lightens across a scan (lamp, toner, JPEG)."""
    around = _region(
        aligned, box.left_mm - 3, box.top_mm - 3, box.left_mm + box.width_mm + 3, box.top_mm + box.height_mm + 3
    )
    return float(np.percentile(around, 75)) if around.size else aligned.paper


def _contrast(aligned: Aligned, paper: float, left: float, top: float, right: float, bottom: float) -> np.ndarray:
    patch = _region(aligned, left, top, right, bottom).astype(np.float32)
    if patch.size == 0:
        return patch
    # A light blur: scanner noise and dither average out, a pencil line keeps its darkness.
    blurred = cv2.GaussianBlur(patch, (3, 3), 0)
    return np.clip((paper - blurred) / max(1.0, paper - aligned.ink), 0, 1)


def _share(contrast: np.ndarray, level: float) -> float:
    return float((contrast > level).mean()) if contrast.size else 0.0


def side_ink(aligned: Aligned, paper: float, box: AnswerBox) -> list[float]:
    """For each side of the box (top, bottom, left, right): the share of its length with ink just outside it."""
    near, far = SIDE_STRIP_MM
    left, top = box.left_mm, box.top_mm
    right, bottom = left + box.width_mm, top + box.height_mm
    trim_x, trim_y = box.width_mm * (1 - SIDE_ALONG) / 2, box.height_mm * (1 - SIDE_ALONG) / 2
    strips = (  # (region, axis along the side)
        ((left + trim_x, top - far, right - trim_x, top - near), 1),
        ((left + trim_x, bottom + near, right - trim_x, bottom + far), 1),
        ((left - far, top + trim_y, left - near, bottom - trim_y), 0),
        ((right + near, top + trim_y, right + far, bottom - trim_y), 0),
    )
    shares = []
    for (x0, y0, x1, y1), along in strips:
        strip = _contrast(aligned, paper, x0, y0, x1, y1)
        # Each position along the side has ink beside it or not: a thin arc counts along its length.
        shares.append(float((strip > FAINT_CONTRAST).any(axis=1 - along).mean()) if strip.size else 0.0)
    return shares


def goes_round(side_shares: list[float]) -> bool:
    """Say whether ink beside the sides (top, bottom, left, right) is a mark drawn round the box."""
    top, bottom, left, right = (share >= SIDE_INKED_FROM for share in side_shares)
    return top + bottom + left + right >= CIRCLED_SIDES or (top and bottom) or (left and right)


def read_tick_box(aligned: Aligned, box: AnswerBox) -> BoxRead:
    """Read one tick box."""
    left, top = box.left_mm, box.top_mm
    right, bottom = left + box.width_mm, top + box.height_mm
    paper = local_paper(aligned, box)
    inside = _contrast(aligned, paper, left + INSET_MM, top + INSET_MM, right - INSET_MM, bottom - INSET_MM)
    ink, strong = _share(inside, FAINT_CONTRAST), _share(inside, STRONG_CONTRAST)
    if strong >= FILLED_FROM:
        return BoxRead(box, BoxState.FILLED, ink, 0.5 + 0.5 * min(1.0, (strong - FILLED_FROM) / 0.15))
    if strong >= SOLID_BELOW:
        return BoxRead(box, BoxState.UNSURE, ink, 0.3, "heavily marked: ticked, or filled in to cancel?")
    if ink >= TICKED_FROM:
        return BoxRead(box, BoxState.TICKED, ink, 0.5 + 0.5 * min(1.0, (ink - TICKED_FROM) / TICKED_FROM))
    if ink >= EMPTY_BELOW:
        return BoxRead(box, BoxState.UNSURE, ink, 0.25, "a small mark in the box")
    # Nothing inside: but a circle round the box is a choice too.
    ring = np.concatenate(
        [
            _contrast(
                aligned, paper, left - RING_TO_MM, top - RING_TO_MM, right + RING_TO_MM, top - RING_FROM_MM
            ).ravel(),
            _contrast(
                aligned, paper, left - RING_TO_MM, bottom + RING_FROM_MM, right + RING_TO_MM, bottom + RING_TO_MM
            ).ravel(),
            _contrast(aligned, paper, left - RING_TO_MM, top, left - RING_FROM_MM, bottom).ravel(),
        ]
    )
    if _share(ring, FAINT_CONTRAST) >= CIRCLED_FROM or goes_round(side_ink(aligned, paper, box)):
        return BoxRead(box, BoxState.UNSURE, ink, 0.3, "marked round the box, not in it")
    return BoxRead(box, BoxState.EMPTY, ink, 0.5 + 0.5 * (EMPTY_BELOW - ink) / EMPTY_BELOW)


def read_writing_box(aligned: Aligned, box: AnswerBox, line_height_mm: float) -> BoxRead:
    """Say whether anything is written in a writing box (its ruled lines left out)."""
    inside = _contrast(
        aligned,
        local_paper(aligned, box),
        box.left_mm + 1.2,
        box.top_mm + 1.2,
        box.left_mm + box.width_mm - 1.2,
        box.top_mm + box.height_mm - 1.2,
    )
    if inside.size == 0:
        return BoxRead(box, BoxState.UNSURE, 0.0, 0.0, "outside the scan")
    keep = np.ones(inside.shape[0], dtype=bool)
    lines = round(box.height_mm / line_height_mm)
    for i in range(1, lines):
        y = (i * line_height_mm - 1.2) * PX_PER_MM  # ruled line, from the inside's top
        keep[max(0, int(y - 0.8 * PX_PER_MM)) : int(y + 0.8 * PX_PER_MM) + 1] = False
    ink = _share(inside[keep], 0.3)
    if ink >= WRITTEN_FROM:
        return BoxRead(box, BoxState.WRITTEN, ink, 1.0)
    return BoxRead(box, BoxState.EMPTY, ink, 0.5 + 0.5 * (WRITTEN_FROM - ink) / WRITTEN_FROM)
