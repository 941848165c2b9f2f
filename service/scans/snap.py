"""Fine alignment: each question's printed boxes are found near where the page transform puts them.

The registration marks fix the page as a whole; paper that is not flat, or a corner mark lost off the edge of
the scan, can still leave a box a millimetre or two off. Every question's box outlines are matched as one
template within a few millimetres, and the boxes are read where the print really is. A question whose outlines
are not found there is named, so its boxes go to a person: read where they are not, the border of a blank box
looks like a tick.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from service.packs.answer_boxes import AnswerBox
from service.packs.flowables import BOX_LINE_WIDTH_PT
from service.scans.align import Aligned
from service.scans.images import PX_PER_MM

SEARCH_MM = 2.5
MIN_SCORE = 0.35  # below this the outlines were not found (covered in ink, or further off than the search)
MIN_PART_SCORE = 0.3  # the tops and bottoms, and the sides, alone (0.4 and more where the print is found)
LINE_PX = max(1, round(BOX_LINE_WIDTH_PT / 72 * 25.4 * PX_PER_MM))


def _group(boxes: tuple[AnswerBox, ...]) -> list[list[AnswerBox]]:
    groups: dict[str, list[AnswerBox]] = {}
    for box in boxes:
        groups.setdefault(box.question_code, []).append(box)
    return list(groups.values())


def _outlines(group: list[AnswerBox], left: float, top: float, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """The group's box outlines drawn as a template: their tops and bottoms, and their sides, apart."""
    across, down = np.zeros(size, np.float32), np.zeros(size, np.float32)
    for b in group:
        x0, y0 = round((b.left_mm - left) * PX_PER_MM), round((b.top_mm - top) * PX_PER_MM)
        x1, y1 = round((b.left_mm + b.width_mm - left) * PX_PER_MM), round((b.top_mm + b.height_mm - top) * PX_PER_MM)
        for y in (y0, y1):
            cv2.line(across, (x0, y), (x1, y), 1.0, LINE_PX)
        for x in (x0, x1):
            cv2.line(down, (x, y0), (x, y1), 1.0, LINE_PX)
    return across, down


def _offset(aligned: Aligned, group: list[AnswerBox]) -> tuple[float, float] | None:
    left = min(b.left_mm for b in group) - 1
    top = min(b.top_mm for b in group) - 1
    right = max(b.left_mm + b.width_mm for b in group) + 1
    bottom = max(b.top_mm + b.height_mm for b in group) + 1
    width, height = round((right - left) * PX_PER_MM), round((bottom - top) * PX_PER_MM)
    across, down = _outlines(group, left, top, (height, width))
    search = round(SEARCH_MM * PX_PER_MM)
    sx, sy = round(left * PX_PER_MM) - search, round(top * PX_PER_MM) - search
    if sx < 0 or sy < 0:
        return None
    region = aligned.pixels[sy : sy + height + 2 * search, sx : sx + width + 2 * search]
    if region.shape != (height + 2 * search, width + 2 * search):
        return None
    darkness = 255.0 - region.astype(np.float32)
    scores = cv2.matchTemplate(darkness, np.maximum(across, down), cv2.TM_CCOEFF_NORMED)
    _, best, _, (bx, by) = cv2.minMaxLoc(scores)
    if best < MIN_SCORE:
        return None
    if bx in (0, scores.shape[1] - 1) or by in (0, scores.shape[0] - 1):
        return None  # best at the edge of the search: the print lies further off, and this is a partial match
    # A column of boxes further off than the search still matches by its sides alone, out of step with the
    # print (a row of boxes by its tops and bottoms): both must be there. A writing box's sides are too short
    # beside its ruled lines to say much, so only its top and bottom are asked for.
    patch = darkness[by : by + height, bx : bx + width]
    for part in (across, down) if group[0].is_tick_box else (across,):
        if float(cv2.matchTemplate(patch, part, cv2.TM_CCOEFF_NORMED)[0, 0]) < MIN_PART_SCORE:
            return None
    return (bx - search) / PX_PER_MM, (by - search) / PX_PER_MM


def snap(aligned: Aligned, boxes: tuple[AnswerBox, ...]) -> tuple[tuple[AnswerBox, ...], frozenset[str]]:
    """The boxes moved onto their printed outlines on this scan, and the questions whose outlines were not found
    (their boxes left where the page transform puts them)."""
    out, lost = [], set()
    for group in _group(boxes):
        offset = _offset(aligned, group)
        if offset is None:
            lost.add(group[0].question_code)
            out += group
            continue
        dx, dy = offset
        out += [replace(b, left_mm=b.left_mm + dx, top_mm=b.top_mm + dy) for b in group]
    return tuple(out), frozenset(lost)
