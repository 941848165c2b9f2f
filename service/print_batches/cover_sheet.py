"""The cover sheet on top of every print batch: what it is and how to print it."""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.pagesizes import A4

from service.packs.fonts import BOLD, REGULAR, register_fonts
from service.packs.form_xobjects import new_canvas
from service.packs.layout import to_points

LEFT_FROM_LEFT_OF_PAGE_MM = 25.0
TITLE_TOP_FROM_TOP_OF_PAGE_MM = 30.0
LINE_GAP_MM = 9.0
TITLE_PT = 24
BODY_PT = 14


def cover_sheet_pdf(lines: list[tuple[str, str]], title: str, made_on: date) -> bytes:
    """Two pages (one sheet, so packs still start on a front): a title and `lines` of label and value."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, made_on, title=title)
    x, y = to_points(LEFT_FROM_LEFT_OF_PAGE_MM, TITLE_TOP_FROM_TOP_OF_PAGE_MM)
    canvas.setFont(BOLD, TITLE_PT)
    canvas.drawString(x, y, title)
    for number, (label, value) in enumerate(lines, start=1):
        _, line_y = to_points(LEFT_FROM_LEFT_OF_PAGE_MM, TITLE_TOP_FROM_TOP_OF_PAGE_MM + 8 + number * LINE_GAP_MM)
        canvas.setFont(BOLD, BODY_PT)
        canvas.drawString(x, line_y, label)
        canvas.setFont(REGULAR, BODY_PT)
        canvas.drawString(x + 75 * 72 / 25.4, line_y, value)
    canvas.showPage()
    canvas.setFont(REGULAR, BODY_PT)
    canvas.drawString(x, A4[1] / 2, "Back of the cover sheet: intentionally blank.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
