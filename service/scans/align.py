"""Line a scanned page up with the page as printed, from its four registration marks.

The marks are solid discs near the corners. Each is found as the dark blob nearest where it should be; their
centres give a perspective transform (rotation, scale, shear, a little keystone), or an affine one when a
corner is lost. The scan is then warped onto the printed page's own grid at WORK_DPI, so every box is read
where the layout code says it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from service.packs.layout import (
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    REGISTRATION_MARK_CENTRES_MM,
    REGISTRATION_MARK_DIAMETER_MM,
)
from service.scans.images import PX_PER_MM

SEARCH_HALF_WIDTH_MM = 22.0  # covers +-5 degrees of rotation, 96-102% scale and a few mm of shift
MAX_CORNER_DISAGREEMENT_MM = 4.0
# Three marks: the most one may lie off a rotation, scale and shift of the other two. Least squares spreads a
# wrong blob's error over all three (a blot 13 mm off shows as 3.4 mm); keystone moves a right one by well under.
MAX_THREE_MARK_MISFIT_MM = 2.0
CANONICAL_SIZE = (round(PAGE_WIDTH_MM * PX_PER_MM), round(PAGE_HEIGHT_MM * PX_PER_MM))  # (width, height)


class NotAligned(ValueError):
    """Fewer than three registration marks were found."""


@dataclass(frozen=True)
class Aligned:
    pixels: np.ndarray  # the page on the printed page's grid, WORK_DPI, paper light
    marks_found: int
    paper: float  # grey level of blank paper
    ink: float  # grey level of printed black (the discs)


def _disc_area_px() -> float:
    return math.pi * (REGISTRATION_MARK_DIAMETER_MM / 2 * PX_PER_MM) ** 2


def _find_disc(pixels: np.ndarray, expected: tuple[float, float]) -> tuple[float, float] | None:
    """The centre of the registration disc nearest `expected` (pixels), or None."""
    half = SEARCH_HALF_WIDTH_MM * PX_PER_MM
    x0, y0 = max(0, int(expected[0] - half)), max(0, int(expected[1] - half))
    x1, y1 = min(pixels.shape[1], int(expected[0] + half)), min(pixels.shape[0], int(expected[1] + half))
    if x1 - x0 < 10 or y1 - y0 < 10:
        return None
    window = cv2.GaussianBlur(pixels[y0:y1, x0:x1], (3, 3), 0)
    _, dark = cv2.threshold(window, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(dark, connectivity=8)
    area = _disc_area_px()
    best, best_distance = None, math.inf
    for label in range(1, count):
        x, y, w, h, pixels_in = stats[label]
        if not 0.6 <= pixels_in / area <= 1.5 or not 0.75 <= w / h <= 1.33:
            continue
        if not 0.66 <= pixels_in / (w * h) <= 0.9:  # a disc fills pi/4 of its box; a square or a letter does not
            continue
        if not _stands_alone(dark, x, y, w, h):
            continue
        cx, cy = centroids[label][0] + x0, centroids[label][1] + y0
        distance = math.hypot(cx - expected[0], cy - expected[1])
        if distance < best_distance:
            best, best_distance = (cx, cy), distance
    return best


def _stands_alone(dark: np.ndarray, x: int, y: int, w: int, h: int) -> bool:
    # The disc has clear paper round it; a bold letter has its neighbours.
    pad = int(1.5 * PX_PER_MM)
    y0, y1, x0, x1 = max(0, y - pad), min(dark.shape[0], y + h + pad), max(0, x - pad), min(dark.shape[1], x + w + pad)
    around = dark[y0:y1, x0:x1].astype(bool).copy()
    around[y - y0 : y - y0 + h, x - x0 : x - x0 + w] = False
    return around.mean() < 0.03


def _similarity_misfit(src: list, dst: list) -> float:
    """How far (pixels) the worst of these centres lies from where the best rotation, scale and shift puts it."""
    # Least squares in complex numbers: src = a * dst + b, with a the rotation and scale.
    to = np.array([complex(x, y) for x, y in src])
    at = np.array([complex(x, y) for x, y in dst])
    at_centred, to_centred = at - at.mean(), to - to.mean()
    a = np.sum(to_centred * np.conj(at_centred)) / np.sum(np.abs(at_centred) ** 2)
    return float(np.max(np.abs(a * at_centred - to_centred)))


def _drop_outlier(src: list, dst: list) -> tuple[list, list]:
    """With four centres, drop one that does not fit the other three (a mark lost off the edge of the scan and
    something else taken for it).

    The marks sit on a rectangle, so predicting any one from the other three by an affine transform misses by
    the same distance whichever is wrong: that says whether one is wrong, not which. A scan is a rotation, a
    scale and a shift, bent a little (keystone, shear); three right marks fit that, three with a wrong one do
    not. So the one dropped is the one whose absence leaves the others fitting it best.
    """
    others = [[j for j in range(4) if j != i] for i in range(4)]
    matrix = cv2.getAffineTransform(
        np.array([dst[j] for j in others[0]], dtype=np.float32), np.array([src[j] for j in others[0]], dtype=np.float32)
    )
    predicted = matrix @ np.array([dst[0][0], dst[0][1], 1.0], dtype=np.float32)
    defect = math.hypot(predicted[0] - src[0][0], predicted[1] - src[0][1])
    # Keystone of a few mm bends a corner by well under this; a wrong blob is much further off.
    if defect <= MAX_CORNER_DISAGREEMENT_MM * PX_PER_MM:
        return src, dst
    misfits = [_similarity_misfit([src[j] for j in rest], [dst[j] for j in rest]) for rest in others]
    worst = int(np.argmin(misfits))
    return [p for i, p in enumerate(src) if i != worst], [p for i, p in enumerate(dst) if i != worst]


def align(pixels: np.ndarray) -> Aligned:
    """Warp an upright page image onto the printed page's grid, or raise NotAligned."""
    # Where the marks would be if the scan were the page exactly, scaled to the scan's width.
    scale = pixels.shape[1] / CANONICAL_SIZE[0]
    found_src, found_dst = [], []
    for x_mm, y_mm in REGISTRATION_MARK_CENTRES_MM:
        expected = (x_mm * PX_PER_MM * scale, y_mm * PX_PER_MM * scale)
        centre = _find_disc(pixels, expected)
        if centre is not None:
            found_src.append(centre)
            found_dst.append((x_mm * PX_PER_MM, y_mm * PX_PER_MM))
    if len(found_src) == 4:
        found_src, found_dst = _drop_outlier(found_src, found_dst)
    if len(found_src) < 2:
        raise NotAligned(f"found {len(found_src)} of 4 registration marks")
    src, dst = np.array(found_src, dtype=np.float32), np.array(found_dst, dtype=np.float32)
    if len(found_src) == 4:
        matrix = cv2.getPerspectiveTransform(src, dst)
        warped = cv2.warpPerspective(pixels, matrix, CANONICAL_SIZE, flags=cv2.INTER_LINEAR, borderValue=255)
    else:
        # Three marks fix an affine transform; two (a skewed page whose corners fell off the scanner's edge) fix
        # rotation, scale and shift, and each question's boxes are then found by their outlines (snap.py).
        if len(found_src) == 3:
            # Three marks fit an affine transform whatever they are: a wrong blob among them would shear the page
            # and put every box in the wrong place, so they must first fit a plain rotation, scale and shift.
            if _similarity_misfit(found_src, found_dst) > MAX_THREE_MARK_MISFIT_MM * PX_PER_MM:
                raise NotAligned("the registration marks found do not fit a page")
            matrix = cv2.getAffineTransform(src, dst)
        else:
            matrix, _ = cv2.estimateAffinePartial2D(src, dst)
        if matrix is None:
            raise NotAligned("the registration marks found do not fit a page")
        warped = cv2.warpAffine(pixels, matrix, CANONICAL_SIZE, flags=cv2.INTER_LINEAR, borderValue=255)
    paper = float(np.percentile(warped[::4, ::4], 90))
    radius = int(REGISTRATION_MARK_DIAMETER_MM / 4 * PX_PER_MM)
    ink = float(
        np.median(
            [np.median(warped[int(y) - radius : int(y) + radius, int(x) - radius : int(x) + radius]) for x, y in dst]
        )
    )
    if paper - ink < 40:
        raise NotAligned("too little contrast between paper and print")
    return Aligned(warped, len(found_src), paper, ink)
