"""Fine alignment: each question's printed boxes are found near where the page transform puts them.

The registration marks fix the page as a whole; paper that is not flat, or a corner mark lost off the edge of
the scan, can still leave a box a millimetre or two off. Every question's box outlines are matched as one
template within a few millimetres, and the boxes are read where the print really is.
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
MIN_SCORE = 0.35  # below this the outlines were not found (covered in ink): keep the page transform's place
LINE_PX = max(1, round(BOX_LINE_WIDTH_PT / 72 * 25.4 * PX_PER_MM))


def _group(boxes: tuple[AnswerBox, ...]) -> list[list[AnswerBox]]:
    groups: dict[str, list[AnswerBox]] = {}
    for box in boxes:
        groups.setdefault(box.question_code, []).append(box)
    return list(groups.values())


def _offset(aligned: Aligned, group: list[AnswerBox]) -> tuple[float, float]:
    left = min(b.left_mm for b in group) - 1
    top = min(b.top_mm for b in group) - 1
    right = max(b.left_mm + b.width_mm for b in group) + 1
    bottom = max(b.top_mm + b.height_mm for b in group) + 1
    width, height = round((right - left) * PX_PER_MM), round((bottom - top) * PX_PER_MM)
    template = np.zeros((height, width), np.float32)
    for b in group:
        x0, y0 = round((b.left_mm - left) * PX_PER_MM), round((b.top_mm - top) * PX_PER_MM)
        x1, y1 = round((b.left_mm + b.width_mm - left) * PX_PER_MM), round((b.top_mm + b.height_mm - top) * PX_PER_MM)
        cv2.rectangle(template, (x0, y0), (x1, y1), 1.0, LINE_PX)
    search = round(SEARCH_MM * PX_PER_MM)
    sx, sy = round(left * PX_PER_MM) - search, round(top * PX_PER_MM) - search
    if sx < 0 or sy < 0:
        return 0.0, 0.0
    region = aligned.pixels[sy : sy + height + 2 * search, sx : sx + width + 2 * search]
    if region.shape != (height + 2 * search, width + 2 * search):
        return 0.0, 0.0
    darkness = 255.0 - region.astype(np.float32)
    scores = cv2.matchTemplate(darkness, template, cv2.TM_CCOEFF_NORMED)
    _, best, _, (bx, by) = cv2.minMaxLoc(scores)
    if best < MIN_SCORE:
        return 0.0, 0.0
    return (bx - search) / PX_PER_MM, (by - search) / PX_PER_MM


def snap(aligned: Aligned, boxes: tuple[AnswerBox, ...]) -> tuple[AnswerBox, ...]:
    """The boxes moved onto their printed outlines on this scan."""
    out = []
    for group in _group(boxes):
        dx, dy = _offset(aligned, group)
        out += [replace(b, left_mm=b.left_mm + dx, top_mm=b.top_mm + dy) for b in group]
    return tuple(out)
