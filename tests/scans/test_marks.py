"""Marks the reader once got wrong while sure of itself, and what a verifier now sees of them: a circle drawn tight
round a box (its arcs on the printed border) waits for a person instead of being read as empty; ink beside one
side of an empty box does not; a letter taken for a registration disc lost off the scan's edge no longer shears
the page; a question whose printed boxes are not where the page says goes to a person, not read off the border."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
import pytest

from service.packs.answer_boxes import AnswerBox, answer_boxes
from service.packs.content import ConsultationFacts, PackContent
from service.packs.layout import REGISTRATION_MARK_CENTRES_MM, REGISTRATION_MARK_DIAMETER_MM
from service.questionnaires.definition import load_consultation_facts
from service.scans.align import CANONICAL_SIZE, NotAligned, align
from service.scans.images import PX_PER_MM, page_images
from service.scans.marks import BoxRead, BoxState
from service.scans.read_page import OUTLINE_NOT_FOUND, read_known_page, upright_page
from service.scans.synthetic import (
    R,
    ScanSettings,
    blank_pack,
    circle_round,
    mark_boxes,
    print_and_scan,
    render_pages,
)

CIRCLED = "marked round the box, not in it"
ONE_BIT_150 = ScanSettings(
    dpi=150, rotation_deg=-2.0, scale=0.98, shift_mm=(1.5, 1.0), keystone_mm=1.0, blur=0.9, noise=5.0,
    upside_down=False, mode="one_bit",
)  # fmt: skip
JPEG_200 = ScanSettings(
    dpi=200, rotation_deg=3.0, scale=1.01, shift_mm=(-2.0, 1.0), keystone_mm=0.8, blur=0.7, noise=4.0,
    upside_down=True, mode="colour_jpeg", jpeg_quality=50,
)  # fmt: skip
GREY_300 = ScanSettings(
    dpi=300, rotation_deg=1.0, scale=1.0, shift_mm=(0.5, 0.5), keystone_mm=0.5, blur=0.5, noise=3.0,
    upside_down=False, mode="grey",
)  # fmt: skip
FLAT = ScanSettings(
    dpi=150, rotation_deg=0.0, scale=1.0, shift_mm=(0.0, 0.0), keystone_mm=0.0, blur=0.5, noise=2.0,
    upside_down=False, mode="grey",
)  # fmt: skip


@pytest.fixture(scope="module")
def packs() -> dict[str, tuple[PackContent, list[np.ndarray]]]:
    """A standard and a large-print pack, each page drawn once for the module."""
    facts = ConsultationFacts.from_facts(load_consultation_facts("lcr-digital-strategy-2021"))
    out = {}
    for n, fmt in enumerate(("standard", "large_print"), start=1):
        content = blank_pack(f"61840{n:04d}", fmt, facts)
        out[fmt] = (content, render_pages(content))
    return out


def _column(content: PackContent) -> tuple[int, list[AnswerBox]]:
    """The first questionnaire page and its first question's tick boxes (one column of six)."""
    for number, boxes in sorted(answer_boxes(content.consultation, content.format).items()):
        ticks = [b for b in boxes if b.is_tick_box]
        if ticks:
            return number, [b for b in ticks if b.question_code == ticks[0].question_code]
    raise AssertionError("no tick boxes")


def _scan_and_read(content: PackContent, pixels: np.ndarray, number: int, settings: ScanSettings) -> list[BoxRead]:
    data = print_and_scan(pixels, settings, random.Random(3))
    (image,) = list(page_images(data))
    upright, identity = upright_page(image)
    assert identity is not None and identity.page_number == number
    result = read_known_page(upright, identity, content.consultation, content.format)
    assert result.boxes, result.outcome
    return result.boxes


def _by_option(reads: list[BoxRead], question: str) -> dict[str, BoxRead]:
    return {r.box.option_code: r for r in reads if r.box.question_code == question}


# Ovals round the box: (gap beside the sides, gap above and below) in mm from the border to the stroke's middle,
# the angle it starts at and how far round it goes.
CIRCLES = {
    "tight, as the bench misread round a large-print box": ((0.9, None), 0.0, 1.0),
    "flat, its top and bottom just off the printed border": ((0.7, 0.3), 0.0, 1.0),
    "flat, its top and bottom on the printed border": ((1.2, 0.2), 0.0, 1.0),
    "tall, its sides on the printed border": ((0.25, 1.1), 0.0, 1.0),
    "not closed, a gap beside the right side": ((1.0, 0.6), 0.35, 0.9),
}


@pytest.mark.parametrize(
    "settings", [ONE_BIT_150, JPEG_200, GREY_300], ids=["150 dpi 1-bit", "200 dpi JPEG upside down", "300 dpi grey"]
)
@pytest.mark.parametrize("shape", list(CIRCLES))
@pytest.mark.parametrize("fmt", ["standard", "large_print"])
def test_a_circle_drawn_tight_round_a_box_waits_for_a_person(packs, fmt, shape, settings):
    content, pages = packs[fmt]
    number, column = _column(content)
    circled = column[2]  # boxes above and below it
    (across, down), start, turns = CIRCLES[shape]
    if down is None:  # the old synthetic circle: 0.9 mm beside, 0.9 times as tall as wide
        down = 0.9 * (circled.width_mm / 2 + across) - circled.height_mm / 2
    pixels = pages[number - 1].copy()
    circle_round(pixels, circled, (across, down), width_mm=0.5, level=40, start=start, turns=turns)

    reads = _by_option(_scan_and_read(content, pixels, number, settings), circled.question_code)
    # What the verification screen lists: the circled box, with why (a flat oval cuts the inside's corners); the
    # machine decided nothing about it.
    assert reads[circled.option_code].state == BoxState.UNSURE
    assert reads[circled.option_code].note in (CIRCLED, "a small mark in the box")
    assert reads[circled.option_code].confidence < 0.5
    # The boxes next to it have the circle beside them: never read as ticked (a heavy ring goes to a person too).
    for box in (column[1], column[3]):
        assert reads[box.option_code].state in (BoxState.EMPTY, BoxState.UNSURE)
    # The rest of the question is read empty and sure.
    for box in (column[0], *column[4:]):
        assert reads[box.option_code].state == BoxState.EMPTY, (box.option_code, reads[box.option_code].note)


def _line(pixels: np.ndarray, points: list[tuple[float, float]], width_mm: float = 0.45, level: int = 30) -> None:
    pts = np.array([(round(x * R), round(y * R)) for x, y in points], dtype=np.int32)
    cv2.polylines(pixels, [pts], False, level, max(1, round(width_mm * R)), lineType=cv2.LINE_AA)


STRAYS = {
    "a pen resting on the top border": lambda b: [(b.left_mm - 1.5, b.top_mm + 0.2), (b.left_mm + 4.5, b.top_mm + 0.3)],
    "a line under the label": lambda b: [
        (b.left_mm + b.width_mm + 1.0, b.top_mm + 0.6 * b.height_mm),
        (b.left_mm + b.width_mm + 25.0, b.top_mm + 0.7 * b.height_mm),
    ],
}


@pytest.mark.parametrize("stray", list(STRAYS))
@pytest.mark.parametrize("fmt", ["standard", "large_print"])
def test_ink_beside_one_or_two_sides_of_an_empty_box_is_read_empty(packs, fmt, stray):
    content, pages = packs[fmt]
    number, column = _column(content)
    pixels = pages[number - 1].copy()
    _line(pixels, STRAYS[stray](column[3]))
    reads = _by_option(_scan_and_read(content, pixels, number, ONE_BIT_150), column[3].question_code)
    assert {option: r.state for option, r in reads.items()} == {b.option_code: BoxState.EMPTY for b in column}


@pytest.mark.parametrize("fmt", ["standard", "large_print"])
def test_an_empty_box_between_two_ticked_ones_is_read_empty(packs, fmt):
    """A tick often runs past its box's corner, towards the next box."""
    content, pages = packs[fmt]
    number, column = _column(content)
    pixels = pages[number - 1].copy()
    marks = {(b.question_code, b.option_code): "tick" for b in (column[2], column[4])}
    mark_boxes(pixels, tuple(column), marks, seed=5)
    reads = _by_option(_scan_and_read(content, pixels, number, JPEG_200), column[3].question_code)
    assert {option: r.state for option, r in reads.items()} == {
        b.option_code: BoxState.TICKED if b in (column[2], column[4]) else BoxState.EMPTY for b in column
    }


def _printed_discs(size: tuple[int, int]) -> np.ndarray:
    """A blank page at the reader's resolution with its four registration discs and a 2 mm square at (100, 150) mm."""
    page = np.full((size[1], size[0]), 245, np.uint8)
    for x, y in REGISTRATION_MARK_CENTRES_MM:
        centre = (round(x * PX_PER_MM), round(y * PX_PER_MM))
        cv2.circle(page, centre, round(REGISTRATION_MARK_DIAMETER_MM / 2 * PX_PER_MM), 20, -1, cv2.LINE_AA)
    corner = (round(99 * PX_PER_MM), round(149 * PX_PER_MM))
    cv2.rectangle(page, corner, (corner[0] + round(2 * PX_PER_MM), corner[1] + round(2 * PX_PER_MM)), 20, -1)
    return page


def _scanned_with_a_wrong_disc(lost: list[int]) -> np.ndarray:
    """The page turned 2 degrees and scaled 99%, the discs of `lost` corners gone (off the scanner's edge) and a
    disc-like blot 12 mm inside the first of them, where the reader looks for it."""
    matrix = cv2.getRotationMatrix2D((CANONICAL_SIZE[0] / 2, CANONICAL_SIZE[1] / 2), 2.0, 0.99)
    matrix[:, 2] += (1.5 * PX_PER_MM, -1.0 * PX_PER_MM)
    scan = cv2.warpAffine(_printed_discs(CANONICAL_SIZE), matrix, CANONICAL_SIZE, borderValue=245)
    radius = round(REGISTRATION_MARK_DIAMETER_MM / 2 * PX_PER_MM)
    for index in lost:
        x, y = REGISTRATION_MARK_CENTRES_MM[index]
        centre = matrix @ np.array([x * PX_PER_MM, y * PX_PER_MM, 1.0])
        cv2.circle(scan, (round(centre[0]), round(centre[1])), radius + 4, 245, -1)
    x, y = REGISTRATION_MARK_CENTRES_MM[lost[0]]
    inward = (12.0 if x < 100 else -12.0, 5.0 if y < 100 else -5.0)
    blot = matrix @ np.array([(x + inward[0]) * PX_PER_MM, (y + inward[1]) * PX_PER_MM, 1.0])
    cv2.circle(scan, (round(blot[0]), round(blot[1])), radius, 20, -1, cv2.LINE_AA)
    return scan


def _square_centre_mm(pixels: np.ndarray) -> tuple[float, float]:
    window = pixels[round(140 * PX_PER_MM) : round(160 * PX_PER_MM), round(90 * PX_PER_MM) : round(110 * PX_PER_MM)]
    ys, xs = np.nonzero(window < 128)
    return 90 + (xs.mean() + 0.5) / PX_PER_MM, 140 + (ys.mean() + 0.5) / PX_PER_MM


@pytest.mark.parametrize("corner", range(4), ids=["top left", "top right", "bottom left", "bottom right"])
def test_a_blot_taken_for_a_disc_lost_off_the_edge_does_not_shear_the_page(corner):
    aligned = align(_scanned_with_a_wrong_disc([corner]))
    assert aligned.marks_found == 3
    x, y = _square_centre_mm(aligned.pixels)
    assert math.hypot(x - 100, y - 150) < 0.5  # every box is read where it was printed


def test_three_marks_that_do_not_fit_a_page_are_not_lined_up():
    """Two discs lost and a blot taken for one of them: the page is keyed from the paper, not read sheared."""
    with pytest.raises(NotAligned):
        align(_scanned_with_a_wrong_disc([0, 1]))


def test_a_question_whose_printed_boxes_are_not_where_the_page_says_goes_to_a_person(packs):
    """Paper that is not flat can put one question further off than the search for its outlines: a blank box
    read where it is not has its border in it, and looks ticked."""
    content, pages = packs["standard"]
    number, column = _column(content)
    data = print_and_scan(pages[number - 1].copy(), FLAT, random.Random(3))
    (image,) = list(page_images(data))
    upright, identity = upright_page(image)
    assert identity is not None
    # The column of boxes lies 4 mm lower on this scan than the registration marks say.
    x0, x1 = (
        round((column[0].left_mm - 1.5) * PX_PER_MM),
        round((column[0].left_mm + column[0].width_mm + 1.5) * PX_PER_MM),
    )
    y0, y1 = (
        round((column[0].top_mm - 2) * PX_PER_MM),
        round((column[-1].top_mm + column[-1].height_mm + 2) * PX_PER_MM),
    )
    drop = round(4 * PX_PER_MM)
    moved = upright.copy()
    moved[y0 : y1 + drop, x0:x1] = int(np.percentile(upright, 90))
    moved[y0 + drop : y1 + drop, x0:x1] = upright[y0:y1, x0:x1]

    result = read_known_page(moved, identity, content.consultation, content.format)
    reads = _by_option(result.boxes, column[0].question_code)
    assert {o: (r.state, r.note) for o, r in reads.items()} == {
        b.option_code: (BoxState.UNSURE, OUTLINE_NOT_FOUND) for b in column
    }
    # The page's other boxes (a writing box, left blank) are where the page says, and read as usual.
    others = [r for r in result.boxes if r.box.question_code != column[0].question_code]
    assert others and all(r.state == BoxState.EMPTY for r in others)
