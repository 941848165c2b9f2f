"""What every page carries: the reference in digits, "Page x of y", a QR code and a Code 128 barcode of
reference and page, and (after the letter's first page) registration marks for the scan reader."""

from __future__ import annotations

from functools import cache
from string import ascii_lowercase, ascii_uppercase

from reportlab.graphics.barcode import qrencoder
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
    PAGE_HEIGHT_MM,
    QR_BOTTOM_FROM_BOTTOM_OF_PAGE_MM,
    QR_LEFT_FROM_LEFT_OF_PAGE_MM,
    QR_MODULE_MM,
    REGISTRATION_MARK_CENTRES_MM,
    REGISTRATION_MARK_DIAMETER_MM,
    STYLES,
)
from service.packs.qr_masks import QRCode
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
    value = barcode_value(reference, page_number)
    draw_barcode(canvas, value)
    draw_qr_code(canvas, value)
    if page_number > 1:
        canvas.addLiteral(_registration_marks())


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


def qr_modules(value: str) -> list[list[bool]]:
    """The dark modules of `value` as a QR code (ReportLab's encoder, error correction M), row 0 at the top."""
    code = QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    size = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(size)] for row in range(size)]


def draw_qr_code(canvas, value: str) -> None:
    """Draw `value` as a QR code in the footer, between the reference and the Code 128 barcode."""
    modules = qr_modules(value)
    size = len(modules)
    module = QR_MODULE_MM * mm
    left = QR_LEFT_FROM_LEFT_OF_PAGE_MM * mm
    bottom = QR_BOTTOM_FROM_BOTTOM_OF_PAGE_MM * mm
    # One path in module units, y counted up from the symbol's bottom row.
    rects = " ".join(
        f"{col} {size - 1 - row} 1 1 re" for row, line in enumerate(modules) for col, dark in enumerate(line) if dark
    )
    canvas.addLiteral(f"q 0 g {module:.5f} 0 0 {module:.5f} {left:.3f} {bottom:.3f} cm {rects} f Q")


def _disc(x_mm: float, y_from_top_mm: float, radius_mm: float) -> str:
    # A circle from four Bezier quarters (kappa = 0.5523), in points from the bottom-left.
    cx, cy, r = x_mm * mm, (PAGE_HEIGHT_MM - y_from_top_mm) * mm, radius_mm * mm
    k = 0.5523 * r
    return (
        f"{cx + r:.3f} {cy:.3f} m "
        f"{cx + r:.3f} {cy + k:.3f} {cx + k:.3f} {cy + r:.3f} {cx:.3f} {cy + r:.3f} c "
        f"{cx - k:.3f} {cy + r:.3f} {cx - r:.3f} {cy + k:.3f} {cx - r:.3f} {cy:.3f} c "
        f"{cx - r:.3f} {cy - k:.3f} {cx - k:.3f} {cy - r:.3f} {cx:.3f} {cy - r:.3f} c "
        f"{cx + k:.3f} {cy - r:.3f} {cx + r:.3f} {cy - k:.3f} {cx + r:.3f} {cy:.3f} c h"
    )


@cache
def _registration_marks() -> str:
    discs = " ".join(_disc(x, y, REGISTRATION_MARK_DIAMETER_MM / 2) for x, y in REGISTRATION_MARK_CENTRES_MM)
    return f"q 0 g {discs} f Q"
