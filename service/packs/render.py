"""Render a pack to PDF: shared pages laid out once per process and drawn once per canvas as form XObjects;
per pack only the personal parts (address, contact column, salutation, page stamps) are drawn.

A print batch can put many packs in one PDF by calling `draw_pack` repeatedly on one `new_canvas`: each
shared page is then defined once in that file and referenced from every pack.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from service.packs.content import ConsultationFacts, PackContent, PackFormat
from service.packs.flowables import para
from service.packs.fonts import register_fonts
from service.packs.form_xobjects import SharedPage, define_forms, new_canvas
from service.packs.layout import CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM, to_points
from service.packs.letter import draw_address, draw_contact_column, draw_salutation, letter_pages
from service.packs.letter_wording import LetterWording, letter_wording
from service.packs.paginate import Page, Placed
from service.packs.questionnaire_pages import questionnaire_pages
from service.packs.return_page import return_page
from service.packs.stamps import BLANK_PAGE_TEXT, draw_stamps
from service.reference import format_reference

# Streams are Flate-compressed; ASCII85 on top only makes files 25% bigger and slower to write.
rl_config.useA85 = 0


@dataclass(frozen=True)
class PackLayout:
    pages: tuple[SharedPage, ...]

    @property
    def page_count(self) -> int:
        return len(self.pages)


def _digest(*key: object) -> str:
    # Stable across processes (unlike hash()), so the same pack renders the same bytes anywhere.
    return hashlib.sha256(repr(key).encode()).hexdigest()[:12]


@cache
def _blank_page(fmt: PackFormat) -> Page:
    text = para(BLANK_PAGE_TEXT, fmt)
    text.wrap(400, 100)
    x, y = to_points(CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM, 140)
    return (Placed(text, x, y),)


def _pad_to_sheet(pages: list[SharedPage], fmt: PackFormat, name: str) -> None:
    # Duplex: the next part starts on the front of a new sheet.
    if len(pages) % 2:
        pages.append(SharedPage("blank", f"{name}_blank", _blank_page(fmt)))


def pack_layout(consultation: ConsultationFacts, fmt: PackFormat, wording: LetterWording | None = None) -> PackLayout:
    """The pages of a pack of one consultation, format and wording (by default: on time), laid out once."""
    return _pack_layout(consultation, fmt, wording or letter_wording(consultation, consultation.closes_on))


@cache
def _pack_layout(consultation: ConsultationFacts, fmt: PackFormat, wording: LetterWording) -> PackLayout:
    register_fonts()
    front = _digest(consultation, fmt, wording)
    letter = letter_pages(consultation, fmt, wording)
    pages = [SharedPage("letter", f"lt{front}_{i}", page) for i, page in enumerate(letter)]
    pages.append(SharedPage("return", f"rt{front}", return_page(consultation, fmt, wording)))
    _pad_to_sheet(pages, fmt, f"fr{front}")
    questions = _digest(consultation.questionnaire_file, fmt)
    pages += [
        SharedPage("questionnaire", f"qn{questions}_{i}", page)
        for i, page in enumerate(questionnaire_pages(consultation.questionnaire_file, fmt))
    ]
    _pad_to_sheet(pages, fmt, f"bk{front}")
    return PackLayout(tuple(pages))


def pack_page_count(consultation: ConsultationFacts, fmt: PackFormat, wording: LetterWording | None = None) -> int:
    """How many pages a pack of this consultation, format and wording has (always even)."""
    return pack_layout(consultation, fmt, wording).page_count


def draw_pack(canvas: Canvas, content: PackContent) -> None:
    """Draw one pack onto `canvas`, from a fresh page, ending with its last page shown."""
    layout = pack_layout(content.consultation, content.format, content.wording)
    reference_text = format_reference(content.reference)
    define_forms(canvas, layout.pages)
    for number, page in enumerate(layout.pages, start=1):
        canvas.doForm(page.form_name)
        if number == 1:
            draw_address(canvas, content)
            draw_contact_column(canvas, content, reference_text)
            draw_salutation(canvas, content)
        draw_stamps(canvas, content.reference, number, layout.page_count, content.format)
        canvas.showPage()


def render_pack(content: PackContent) -> bytes:
    """Render the pack for one request (or a blank pack, recipient None) as PDF bytes."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, content.letter_date, title=f"{content.consultation.title}: survey pack")
    draw_pack(canvas, content)
    canvas.save()
    return buffer.getvalue()


__all__ = ["draw_pack", "new_canvas", "pack_layout", "pack_page_count", "render_pack"]
