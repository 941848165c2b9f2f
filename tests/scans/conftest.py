"""Helpers for scan tests: a pack filled in with chosen marks, printed and scanned in software."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image

from service.packs.answer_boxes import answer_boxes
from service.packs.assemble import pack_content
from service.scans.synthetic import ScanSettings, mark_boxes, print_and_scan, render_pages
from tests.returns.conftest import sign_in  # noqa: F401 (a fixture the scan tests share)

PLAIN = ScanSettings(
    dpi=200, rotation_deg=1.5, scale=0.99, shift_mm=(1.0, -1.5), keystone_mm=0.5, blur=0.6, noise=3.0,
    upside_down=False, mode="grey",
)  # fmt: skip


def scanned_pages(pack, marks: dict[int, dict[tuple[str, str], str]], settings: dict[int, ScanSettings] | None = None):
    """Each page of `pack` (page number -> grey image after print-and-scan), with `marks` drawn on its pages."""
    content = pack_content(pack)
    boxes = answer_boxes(content.consultation, content.format)
    out = {}
    rng = random.Random(7)
    for number, pixels in enumerate(render_pages(content), start=1):
        mark_boxes(pixels, boxes.get(number, ()), marks.get(number, {}), seed=number)
        data = print_and_scan(pixels, (settings or {}).get(number, PLAIN), rng)
        out[number] = np.array(Image.open(io.BytesIO(data)).convert("L"))
    return out


def as_pdf(images: list[np.ndarray], dpi: int = 200) -> bytes:
    """Pages as one PDF, as a scanner writes it (one image a page)."""
    pages = [Image.fromarray(image) for image in images]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return buffer.getvalue()


@pytest.fixture
def blank_image():
    return np.full((2339, 1654), 245, dtype=np.uint8)  # an A4 sheet at 200 dpi with nothing on it
