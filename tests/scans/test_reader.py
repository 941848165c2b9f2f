"""The reader against the truth: boxes where the layout drew them, symbols a scanner can read, and seeded
synthetic returns, printed and scanned in software, read back with no error on what it accepts."""

from __future__ import annotations

import io

import numpy as np
import pdfplumber
import pytest
import zxingcpp

from service.packs.answer_boxes import answer_boxes
from service.packs.content import ConsultationFacts, PackContent
from service.packs.layout import REGISTRATION_MARK_CENTRES_MM, REGISTRATION_MARK_DIAMETER_MM
from service.packs.render import render_pack
from service.questionnaires.definition import load_consultation_facts
from service.scans.synthetic import blank_pack, render_pages
from service.scans.trial import Tally, run_pack

MM = 72 / 25.4
FORMATS = ["standard", "large_print"]


@pytest.fixture(scope="module")
def facts() -> ConsultationFacts:
    return ConsultationFacts.from_facts(load_consultation_facts("lcr-digital-strategy-2021"))


def _content(facts, fmt: str, n: int = 1) -> PackContent:
    return blank_pack(f"51730{n:04d}", fmt, facts)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_box_the_reader_expects_is_drawn_exactly_there(facts, fmt):
    pdf = pdfplumber.open(io.BytesIO(render_pack(_content(facts, fmt))))
    expected = answer_boxes(facts, fmt)
    assert sum(len(boxes) for boxes in expected.values()) > 40
    for page in pdf.pages:
        if page.page_number not in expected:
            continue  # the letter and the return page: nothing to read
        drawn = sorted(
            (r["x0"] / MM, r["top"] / MM, r["width"] / MM, r["height"] / MM)
            for r in page.rects
            if r["width"] > 4 * MM and r["height"] > 4 * MM
        )
        boxes = sorted((b.left_mm, b.top_mm, b.width_mm, b.height_mm) for b in expected.get(page.page_number, ()))
        assert len(drawn) == len(boxes), f"page {page.page_number}"
        for seen, wanted in zip(drawn, boxes, strict=True):
            assert np.allclose(seen, wanted, atol=0.02), f"page {page.page_number}: {seen} != {wanted}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_registration_marks_sit_in_every_corner_after_the_letter_page(facts, fmt):
    pdf = pdfplumber.open(io.BytesIO(render_pack(_content(facts, fmt))))
    for page in pdf.pages:
        discs = [
            ((c["x0"] + c["x1"]) / 2 / MM, (c["top"] + c["bottom"]) / 2 / MM, (c["x1"] - c["x0"]) / MM)
            for c in page.curves
            if c["fill"]
        ]
        if page.page_number == 1:
            assert discs == []  # the letter's first page keeps its corners for the print provider's rules
            continue
        assert len(discs) == 4, f"page {page.page_number}"
        for (x, y, width), (ex, ey) in zip(sorted(discs), sorted(REGISTRATION_MARK_CENTRES_MM), strict=True):
            assert abs(x - ex) < 0.05 and abs(y - ey) < 0.05 and abs(width - REGISTRATION_MARK_DIAMETER_MM) < 0.05


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_page_carries_its_code_twice_with_modules_of_half_a_millimetre(facts, fmt):
    content = _content(facts, fmt)
    pdf = pdfplumber.open(io.BytesIO(render_pack(content)))
    footer_bars = [r for r in pdf.pages[2].rects if r["height"] > 11 * MM and r["width"] < 3 * MM]
    assert footer_bars and min(r["width"] for r in footer_bars) >= 0.5 * MM - 1e-3
    for number, pixels in enumerate(render_pages(content, dpi=150), start=1):
        found = {(b.format, b.text) for b in zxingcpp.read_barcodes(np.ascontiguousarray(pixels))}
        value = f"{content.reference}-{number:02d}"
        assert found == {(zxingcpp.BarcodeFormat.QRCode, value), (zxingcpp.BarcodeFormat.Code128, value)}, number


def test_seeded_synthetic_returns_are_read_without_error_beside_a_fixed_threshold_reader(facts):
    """Three packs (two standard, one large print) filled in by seeded respondents: ticks, crosses, fills,
    faint pencil, circles, stray marks, blanks, several boxes, handwriting; each page printed and scanned with
    its own rotation, scale, shift, blur, noise, JPEG, 1-bit dither, upside down, 150/200/300 dpi."""
    total = Tally()
    for n, fmt in enumerate(("standard", "large_print", "standard"), start=1):
        total.add(run_pack(_content(facts, fmt, n), seed=1000 + n))
    assert total.pages >= 20
    assert total.identified == total.pages
    assert total.aligned == total.pages
    assert total.boxes > 150
    assert total.errors == 0, total.errors_by_kind
    assert total.auto_accepted >= 0.95 * total.boxes
    # The same scans under a plain black-and-white threshold: faint pencil and grey paper fool it.
    assert total.baseline_errors > total.errors
