"""The cover sheet on top of every print batch: what it is, how much of it there is, and how to print it.

Every row wraps inside the printable area; if a very long value (a consultation's full title) would still run
past the bottom, the type steps down until the whole sheet fits.
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from service.packs.fonts import BOLD, REGULAR, register_fonts
from service.packs.form_xobjects import new_canvas
from service.packs.layout import MARGIN_LEFT_RIGHT_MM, MARGIN_TOP_BOTTOM_MM, PAGE_WIDTH_MM, to_points

LEFT_FROM_LEFT_OF_PAGE_MM = 25.0
RIGHT_FROM_LEFT_OF_PAGE_MM = PAGE_WIDTH_MM - MARGIN_LEFT_RIGHT_MM - 5.0
TITLE_TOP_FROM_TOP_OF_PAGE_MM = 25.0
BOTTOM_FROM_TOP_OF_PAGE_MM = 297.0 - MARGIN_TOP_BOTTOM_MM - 10.0
LABEL_WIDTH_MM = 45.0
ROW_GAP_MM = 3.0
TITLE_PT = 24
BODY_SIZES_PT = (14, 12, 10, 8)  # the largest at which everything fits is used
COVER_PAGES = 2  # one sheet, front and back, so every pack still starts on a front


def _rows(lines: list[tuple[str, str]], size: float) -> list[tuple[Paragraph, Paragraph, float]]:
    label_style = ParagraphStyle("label", fontName=BOLD, fontSize=size, leading=size * 1.25)
    value_style = ParagraphStyle("value", fontName=REGULAR, fontSize=size, leading=size * 1.25)
    value_width = (RIGHT_FROM_LEFT_OF_PAGE_MM - LEFT_FROM_LEFT_OF_PAGE_MM - LABEL_WIDTH_MM) * mm
    rows = []
    for label, value in lines:
        label_para, value_para = Paragraph(escape(label), label_style), Paragraph(escape(value), value_style)
        _, label_height = label_para.wrap(LABEL_WIDTH_MM * mm - 3 * mm, 10_000)
        _, value_height = value_para.wrap(value_width, 10_000)
        rows.append((label_para, value_para, max(label_height, value_height)))
    return rows


def cover_sheet_pdf(lines: list[tuple[str, str]], title: str, made_on: date) -> bytes:
    """COVER_PAGES pages (one sheet, so packs still start on a front): a title and `lines` of label and value."""
    register_fonts()
    room = (BOTTOM_FROM_TOP_OF_PAGE_MM - TITLE_TOP_FROM_TOP_OF_PAGE_MM - 15) * mm
    for size in BODY_SIZES_PT:
        rows = _rows(lines, size)
        if sum(height + ROW_GAP_MM * mm for *_, height in rows) <= room:
            break
    else:
        raise ValueError("the cover sheet's lines do not fit one page even at the smallest size")
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, made_on, title=title)
    x, y = to_points(LEFT_FROM_LEFT_OF_PAGE_MM, TITLE_TOP_FROM_TOP_OF_PAGE_MM)
    canvas.setFont(BOLD, TITLE_PT)
    canvas.drawString(x, y - TITLE_PT, title)
    _, top = to_points(LEFT_FROM_LEFT_OF_PAGE_MM, TITLE_TOP_FROM_TOP_OF_PAGE_MM + 15)
    for label_para, value_para, height in rows:
        label_para.drawOn(canvas, x, top - label_para.height)
        value_para.drawOn(canvas, x + LABEL_WIDTH_MM * mm, top - value_para.height)
        top -= height + ROW_GAP_MM * mm
    canvas.showPage()
    canvas.setFont(REGULAR, BODY_SIZES_PT[0])
    canvas.drawString(x, A4[1] / 2, "Back of the cover sheet: intentionally blank.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
