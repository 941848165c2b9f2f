"""What every page carries: the reference in digits, "Page x of y", and a barcode of reference and page."""

from __future__ import annotations

from string import ascii_lowercase, ascii_uppercase

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm

from service.packs.fonts import BOLD, REGULAR
from service.packs.layout import (
    BARCODE_BOTTOM_FROM_BOTTOM_OF_PAGE_MM,
    BARCODE_HEIGHT_MM,
    BARCODE_MODULE_WIDTH_MM,
    BARCODE_RIGHT_FROM_LEFT_OF_PAGE_MM,
    CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM,
    FOOTER_TEXT_BASELINE_FROM_BOTTOM_OF_PAGE_MM,
    STYLES,
)
from service.reference import format_reference

BLANK_PAGE_TEXT = "This page is intentionally blank"


def barcode_value(reference: str, page_number: int) -> str:
    """What a page's barcode says: `4829135570-03`."""
    return f"{reference}-{page_number:02d}"


def draw_stamps(canvas, reference: str, page_number: int, page_count: int, fmt: str) -> None:
    """Stamp one page's footer (personal, so drawn per pack, never cached)."""
    style = STYLES[fmt]
    x = CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM * mm
    baseline = FOOTER_TEXT_BASELINE_FROM_BOTTOM_OF_PAGE_MM * mm
    text = canvas.beginText(x, baseline + style.leading_pt)
    text.setFont(REGULAR, style.body_pt, style.leading_pt)
    text.textOut("Reference ")
    text.setFont(BOLD, style.body_pt, style.leading_pt)
    text.textLine(format_reference(reference))
    text.setFont(REGULAR, style.body_pt, style.leading_pt)
    text.textLine(f"Page {page_number} of {page_count}")
    canvas.drawText(text)
    draw_barcode(canvas, barcode_value(reference, page_number))


def bars(value: str) -> list[tuple[int, int]]:
    """The bars of `value` as Code 128 (ReportLab's encoder): (start, width) in modules."""
    symbol = Code128(value, quiet=0, humanReadable=False)
    symbol.validate()
    symbol.encode()
    decomposed = symbol.decompose()
    out, left = [], 0
    for c in decomposed:
        if c in ascii_lowercase:  # a space of that many modules
            left += ord(c) - ord("a") + 1
        elif c in ascii_uppercase:  # a bar
            width = ord(c) - ord("A") + 1
            out.append((left, width))
            left += width
    return out


def draw_barcode(canvas, value: str) -> None:
    """Draw `value` as Code 128, right-aligned at the footer, bars ending at BARCODE_RIGHT.

    One scaled path in module units instead of a rectangle call per bar: a page stamp is drawn for every
    page of every pack, and ReportLab's per-rectangle number formatting was most of its cost.
    """
    pattern = bars(value)
    modules = pattern[-1][0] + pattern[-1][1]
    module = BARCODE_MODULE_WIDTH_MM * mm
    left = BARCODE_RIGHT_FROM_LEFT_OF_PAGE_MM * mm - modules * module
    bottom = BARCODE_BOTTOM_FROM_BOTTOM_OF_PAGE_MM * mm
    rects = " ".join(f"{start} 0 {width} 1 re" for start, width in pattern)
    canvas.addLiteral(f"q 0 g {module:.5f} 0 0 {BARCODE_HEIGHT_MM * mm:.5f} {left:.3f} {bottom:.3f} cm {rects} f Q")
