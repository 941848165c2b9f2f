"""Returned forms made in software, with their truth: packs filled in with seeded pen and pencil marks, then
printed and scanned in software. For the accuracy test, the benchmark and a demonstration stack to scan.

Nothing here is used to read a real scan.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import cv2
import numpy as np
from PIL import Image

from service.packs.answer_boxes import AnswerBox, answer_boxes
from service.packs.content import ConsultationFacts, PackContent, PackFormat
from service.packs.layout import PAGE_HEIGHT_MM, PAGE_WIDTH_MM
from service.packs.render import render_pack
from service.reference import check_digit

RENDER_DPI = 300.0
R = RENDER_DPI / 25.4  # pixels per mm while marking


@dataclass
class FilledPage:
    """One page of a filled-in pack at RENDER_DPI, and what the respondent meant on it."""

    page_number: int
    pixels: np.ndarray
    ticked: dict[tuple[str, str], bool] = field(default_factory=dict)  # (question, option) -> chosen
    written: dict[str, bool] = field(default_factory=dict)  # question -> something written
    kinds: dict[tuple[str, str], str] = field(default_factory=dict)  # (question, option) -> mark drawn


def blank_pack(reference_body: str, fmt: PackFormat, facts: ConsultationFacts) -> PackContent:
    """A pack with no name or address, to fill in with synthetic marks: its reference is `reference_body` (nine
    digits) and its check digit, and its letter is dated as every trial's is, so the same body draws the same
    pages."""
    return PackContent(
        reference=reference_body + check_digit(reference_body),
        format=fmt,
        recipient_name=None,
        address_lines=(),
        letter_date=date(2020, 12, 2),
        consultation=facts,
    )


def render_pages(content: PackContent, dpi: float = RENDER_DPI) -> list[np.ndarray]:
    """The pack's pages as grey images."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(render_pack(content))
    try:
        return [
            np.asarray(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")).copy() for page in document
        ]
    finally:
        document.close()


def _pt(x_mm: float, y_mm: float) -> tuple[int, int]:
    return int(round(x_mm * R)), int(round(y_mm * R))


def _stroke(img: np.ndarray, points: list[tuple[float, float]], width_mm: float, level: int) -> None:
    layer = np.full_like(img, 255)
    pts = np.array([_pt(x, y) for x, y in points], dtype=np.int32)
    cv2.polylines(layer, [pts], False, level, max(1, int(round(width_mm * R))), lineType=cv2.LINE_AA)
    np.minimum(img, layer, out=img)


def _tick(img, box: AnswerBox, rng: random.Random, width_mm: float, level: int) -> None:
    s, x, y = box.width_mm, box.left_mm, box.top_mm
    j = lambda: rng.uniform(-0.12, 0.12) * s  # noqa: E731 - a jitter, drawn fresh for every point
    overshoot = rng.uniform(0, 0.5) * s  # ticks often run past the top-right corner
    _stroke(
        img,
        [
            (x + 0.2 * s + j(), y + 0.5 * s + j()),
            (x + 0.45 * s + j(), y + 0.85 * s + j()),
            (x + 0.85 * s + overshoot, y + 0.1 * s - overshoot + j()),
        ],
        width_mm,
        level,
    )


def _cross(img, box: AnswerBox, rng: random.Random, width_mm: float, level: int) -> None:
    s, x, y = box.width_mm, box.left_mm, box.top_mm
    j = lambda: rng.uniform(-0.1, 0.1) * s  # noqa: E731
    _stroke(img, [(x + 0.15 * s + j(), y + 0.15 * s + j()), (x + 0.85 * s + j(), y + 0.85 * s + j())], width_mm, level)
    _stroke(img, [(x + 0.85 * s + j(), y + 0.15 * s + j()), (x + 0.15 * s + j(), y + 0.85 * s + j())], width_mm, level)


def _tick_and_fill(img, box: AnswerBox, rng: random.Random) -> None:
    _tick(img, box, rng, 0.5, 30)
    _fill(img, box, rng, 30)


def _fill(img, box: AnswerBox, rng: random.Random, level: int) -> None:
    # Scribbled in: back-and-forth strokes covering the box, a little past its edges.
    s, x, y = box.width_mm, box.left_mm, box.top_mm
    rows = np.linspace(y + 0.05 * s, y + 0.95 * s, 12)
    points = [(x + (0.0 if i % 2 else s) + rng.uniform(-0.3, 0.3), row) for i, row in enumerate(rows)]
    _stroke(img, points, s / 7, level)


def circle_round(
    img: np.ndarray,
    box: AnswerBox,
    gaps_mm: tuple[float, float],
    width_mm: float = 0.5,
    level: int = 30,
    start: float = 0.0,
    turns: float = 1.0,
    off_centre_mm: tuple[float, float] = (0.0, 0.0),
) -> None:
    """Draw an oval round `box`: `gaps_mm` from its sides and from its top and bottom (centre line of the stroke),
    from angle `start` (radians, clockwise from the right) for `turns` times round."""
    half_w, half_h = box.width_mm / 2, box.height_mm / 2
    cx, cy = box.left_mm + half_w + off_centre_mm[0], box.top_mm + half_h + off_centre_mm[1]
    rx, ry = half_w + gaps_mm[0], half_h + gaps_mm[1]
    angles = np.linspace(start, start + 2 * math.pi * turns, 48)
    _stroke(img, [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles], width_mm, level)


def _circle(img, box: AnswerBox, rng: random.Random, level: int, width_mm: float = 0.5) -> None:
    # Drawn round the box by hand: an oval a little off centre, flatter or taller, some hugging the border (above
    # and below it can lie on the printed line), started anywhere and not always closed, or overlapping itself.
    off_centre = (rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2))
    gaps = (rng.uniform(0.7, 1.5), rng.uniform(0.4, 1.3))
    start = rng.uniform(0, 2 * math.pi)
    circle_round(img, box, gaps, width_mm, level, start, rng.uniform(0.92, 1.08), off_centre)


def _stray(img, box: AnswerBox, rng: random.Random, level: int) -> None:
    # A pen resting on the border, or a line under the label: touches the box's edge, not its middle.
    x, y, s = box.left_mm, box.top_mm, box.width_mm
    if rng.random() < 0.5:
        start = (x + s + rng.uniform(0.5, 3), y + s * rng.uniform(0.2, 0.8))
        _stroke(img, [start, (start[0] + rng.uniform(8, 30), start[1] + rng.uniform(-1, 1))], 0.5, level)
    else:
        edge_y = y + (s if rng.random() < 0.5 else 0) + rng.uniform(-0.3, 0.3)
        _stroke(img, [(x - rng.uniform(0.5, 2), edge_y), (x + s * rng.uniform(0.3, 0.7), edge_y + 0.2)], 0.45, level)


def _handwriting(img, box: AnswerBox, rng: random.Random, line_mm: float, level: int) -> None:
    lines = rng.randint(1, max(1, round(box.height_mm / line_mm)))
    for line in range(lines):
        base = box.top_mm + (line + 1) * line_mm - 2.2
        x = box.left_mm + 4
        end = box.left_mm + rng.uniform(0.3, 0.95) * box.width_mm
        while x < end:
            word = rng.uniform(6, 20)
            xs = np.linspace(x, min(end, x + word), 24)
            pts = [(px, base - 1.2 - 1.2 * math.sin(px * rng.uniform(1.5, 2.5))) for px in xs]
            _stroke(img, pts, 0.4, level)
            x += word + rng.uniform(2, 4)


def _mark_question(img, boxes: list[AnswerBox], qtype: str, rng: random.Random, page: FilledPage) -> None:
    pen = rng.randint(10, 70)
    width = rng.uniform(0.35, 0.7)
    chosen: set[int] = set()
    roll = rng.random()
    if roll < 0.1:
        pass  # left blank
    elif qtype == "multiple":
        chosen = set(rng.sample(range(len(boxes)), rng.randint(1, min(3, len(boxes)))))
    elif roll < 0.16:
        chosen = set(rng.sample(range(len(boxes)), 2))  # more than one box
    else:
        chosen = {rng.randrange(len(boxes))}
    style = rng.random()
    for i, box in enumerate(boxes):
        key = (box.question_code, box.option_code)
        page.ticked[key] = i in chosen
        page.kinds[key] = "blank"
        if i not in chosen:
            continue
        if style < 0.1:  # faint pencil
            _tick(img, box, rng, rng.uniform(0.3, 0.4), rng.randint(120, 165))
            page.kinds[key] = "pencil"
        elif style < 0.35:
            _cross(img, box, rng, width, pen)
            page.kinds[key] = "cross"
        elif style < 0.38:
            _circle(img, box, rng, pen, width)
            page.kinds[key] = "circle"
        else:
            _tick(img, box, rng, width, pen)
            page.kinds[key] = "tick"
    unchosen = [i for i in range(len(boxes)) if i not in chosen]
    if chosen and unchosen and rng.random() < 0.07:  # changed their mind: filled in the first choice
        i = rng.choice(unchosen)
        _tick(img, boxes[i], rng, width, pen)
        _fill(img, boxes[i], rng, pen)
        page.kinds[(boxes[i].question_code, boxes[i].option_code)] = "filled"
    if rng.random() < 0.08:
        i = rng.randrange(len(boxes))
        _stray(img, boxes[i], rng, pen)
        if page.kinds[(boxes[i].question_code, boxes[i].option_code)] == "blank":
            page.kinds[(boxes[i].question_code, boxes[i].option_code)] = "stray"


MARKERS = {
    "tick": lambda img, box, rng: _tick(img, box, rng, 0.5, 30),
    "cross": lambda img, box, rng: _cross(img, box, rng, 0.5, 30),
    "pencil": lambda img, box, rng: _tick(img, box, rng, 0.35, 150),
    "fill": lambda img, box, rng: _tick_and_fill(img, box, rng),
    "circle": lambda img, box, rng: _circle(img, box, rng, 30),
    "small": lambda img, box, rng: _stroke(
        img, [(box.left_mm + 2.6, box.top_mm + 2.6), (box.left_mm + 3.1, box.top_mm + 3.0)], 0.4, 40
    ),
    "writing": lambda img, box, rng: _handwriting(img, box, rng, 9.0, 30),
}


def mark_boxes(
    pixels: np.ndarray, boxes: tuple[AnswerBox, ...], marks: dict[tuple[str, str], str], seed: int = 0
) -> None:
    """Draw chosen marks (`MARKERS` by name) into the named boxes (question, option; option "" for writing)."""
    rng = random.Random(seed)
    for box in boxes:
        kind = marks.get((box.question_code, box.option_code))
        if kind:
            MARKERS[kind](pixels, box, rng)


def fill_in(content: PackContent, questionnaire_types: Mapping[str, str], seed: int) -> list[FilledPage]:
    """The pack's questionnaire pages filled in by a seeded respondent."""
    rng = random.Random(seed)
    fmt = content.format
    line_mm = {"standard": 9.0, "large_print": 12.0}[fmt]
    images = render_pages(content)
    pages = []
    for number, boxes in answer_boxes(content.consultation, fmt).items():
        if not boxes:
            continue
        page = FilledPage(number, images[number - 1])
        by_question: dict[str, list[AnswerBox]] = {}
        for box in boxes:
            by_question.setdefault(box.question_code, []).append(box)
        for code, group in by_question.items():
            if not group[0].is_tick_box:
                page.written[code] = rng.random() < 0.6
                if page.written[code]:
                    _handwriting(page.pixels, group[0], rng, line_mm, rng.randint(10, 70))
                continue
            _mark_question(page.pixels, group, questionnaire_types[code], rng, page)
        pages.append(page)
    return pages


@dataclass(frozen=True)
class ScanSettings:
    dpi: int
    rotation_deg: float
    scale: float
    shift_mm: tuple[float, float]
    keystone_mm: float
    blur: float
    noise: float
    upside_down: bool
    mode: str  # "grey", "colour_jpeg", "grey_jpeg", "one_bit"
    jpeg_quality: int = 75


def random_settings(rng: random.Random, dpi: int | None = None) -> ScanSettings:
    """Settings of a plausible office scanner or multifunction printer."""
    return ScanSettings(
        dpi=dpi or rng.choice((150, 200, 300)),
        rotation_deg=rng.uniform(-5, 5),
        scale=rng.uniform(0.96, 1.02),
        shift_mm=(rng.uniform(-3, 3), rng.uniform(-3, 3)),
        keystone_mm=rng.uniform(0, 1.5),
        blur=rng.uniform(0.3, 1.1),
        noise=rng.uniform(1, 7),
        upside_down=rng.random() < 0.25,
        mode=rng.choice(("grey", "colour_jpeg", "grey_jpeg", "one_bit")),
        jpeg_quality=rng.randint(45, 90),
    )


def print_and_scan(pixels: np.ndarray, settings: ScanSettings, rng: random.Random) -> bytes:
    """Print a page and scan it back, in software: returns the scanned file's bytes (PNG, JPEG or 1-bit TIFF)."""
    out_px_mm = settings.dpi / 25.4
    width, height = round(PAGE_WIDTH_MM * out_px_mm), round(PAGE_HEIGHT_MM * out_px_mm)
    # Where the printed page's corners land on the scanner glass (mm), then in output pixels.
    corners = np.array(
        [[0, 0], [PAGE_WIDTH_MM, 0], [0, PAGE_HEIGHT_MM], [PAGE_WIDTH_MM, PAGE_HEIGHT_MM]], dtype=np.float32
    )
    angle = math.radians(settings.rotation_deg)
    centre = np.array([PAGE_WIDTH_MM / 2, PAGE_HEIGHT_MM / 2], dtype=np.float32)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], dtype=np.float32)
    moved = (corners - centre) @ rotation.T * settings.scale + centre + np.array(settings.shift_mm, dtype=np.float32)
    moved += np.array(
        [[rng.uniform(-1, 1) * settings.keystone_mm, rng.uniform(-1, 1) * settings.keystone_mm] for _ in range(4)],
        dtype=np.float32,
    )
    src = np.array(
        [[0, 0], [pixels.shape[1], 0], [0, pixels.shape[0]], [pixels.shape[1], pixels.shape[0]]], dtype=np.float32
    )
    matrix = cv2.getPerspectiveTransform(src, moved * out_px_mm)
    # Toner is not quite black and paper not quite white.
    toned: np.ndarray = (
        (pixels.astype(np.float32) * rng.uniform(0.78, 0.95) + rng.uniform(12, 45)).clip(0, 255).astype(np.uint8)
    )
    if settings.dpi < RENDER_DPI:
        toned = cv2.GaussianBlur(toned, (0, 0), 0.5 * RENDER_DPI / settings.dpi)  # the scanner's optics
    scan = cv2.warpPerspective(toned, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=int(toned[5, 5]))
    scan = cv2.GaussianBlur(scan, (0, 0), settings.blur).astype(np.float32)
    scan += np.asarray(
        np.random.default_rng(rng.randrange(2**32)).normal(0, settings.noise, scan.shape), dtype=np.float32
    )
    scan = scan.clip(0, 255).astype(np.uint8)
    if settings.upside_down:
        scan = cv2.rotate(scan, cv2.ROTATE_180)
    image = Image.fromarray(scan)
    buffer = io.BytesIO()
    if settings.mode == "one_bit":
        image.convert("1").save(buffer, "TIFF", compression="group4", dpi=(settings.dpi, settings.dpi))
    elif settings.mode == "colour_jpeg":
        tint = Image.merge("RGB", (image, image.point(lambda v: int(v * 0.98)), image.point(lambda v: int(v * 0.94))))
        tint.save(buffer, "JPEG", quality=settings.jpeg_quality, dpi=(settings.dpi, settings.dpi))
    elif settings.mode == "grey_jpeg":
        image.save(buffer, "JPEG", quality=settings.jpeg_quality, dpi=(settings.dpi, settings.dpi))
    else:
        image.save(buffer, "PNG", dpi=(settings.dpi, settings.dpi))
    return buffer.getvalue()


def stack_pdf(pages: list[bytes]) -> bytes:
    """Scanned page files (as `print_and_scan` makes them) as one multi-page PDF, as a scanner writes a stack."""
    images = [Image.open(io.BytesIO(data)).convert("L") for data in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=200)
    return buffer.getvalue()
