"""Shared pages as PDF form XObjects: defined once per canvas, their drawing recorded once per process.

Drawing a page's flowables costs far more than copying the operators they produce, so the operators are
recorded once in a scratch document and copied into each new canvas. A recording is only valid where the
embedded fonts encode text the same way: TrueType subsets number characters in the order a document first
uses them, so before copying we check (and, in a fresh document, establish) that each recorded character
has the same code here. Where it cannot, the page is simply drawn again.
"""

from __future__ import annotations

import io
import weakref
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFStream, xObjectName
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from service.packs.compress_once import DEFLATE_ONCE
from service.packs.fonts import BOLD, REGULAR, register_fonts
from service.packs.format_once import share_form
from service.packs.layout import PAGE_SIZE
from service.packs.paginate import Page, draw_page

FONTS = (REGULAR, BOLD)


@dataclass(frozen=True)
class SharedPage:
    """One page as everyone in a consultation and format gets it, named as a PDF form."""

    kind: str
    form_name: str
    content: Page


@dataclass(frozen=True)
class Recording:
    operators: dict[str, tuple[str, ...]]  # form name -> its content stream operators
    encodings: dict[str, tuple[str, tuple[tuple[int, int], ...]]]  # font -> (PDF name, (char, code) in order)


def _ttfont(name: str) -> TTFont:
    """A font registered here: every one is a TrueType file, whose subsets and codes the recording reads."""
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):
        raise TypeError(f"{name} is not a TrueType font")
    return font


# ReportLab keeps a canvas's document and its page's operators in private attributes, which its type stubs
# leave out; recording forms needs both, so they are read here and only here.
def _document(canvas: Canvas) -> Any:
    """The PDF document a canvas writes into (its fonts' subsets and its objects)."""
    return canvas._doc  # type: ignore[attr-defined]


def _operators(canvas: Canvas) -> list[str]:
    """The operators drawn so far on the canvas's current page or form."""
    return canvas._code  # type: ignore[attr-defined]


def _codes(font: TTFont, doc: Any) -> dict[int, int]:
    """The codes a font's subset in `doc` gives characters so far (the same dict ReportLab adds to)."""
    # Private to ReportLab like the document itself, and left out of its stubs.
    return font.state[doc].assignments  # type: ignore[attr-defined]


def new_canvas(output, letter_date: date, title: str = "Survey pack") -> Canvas:
    """A canvas for one pack or a print batch: A4, fonts embedded, reproducible bytes for the same input."""
    register_fonts()
    canvas = Canvas(
        output,
        pagesize=PAGE_SIZE,
        invariant=1,
        pageCompression=1,
        # Otherwise ReportLab lists an unembedded Helvetica on every page. types-reportlab declares this
        # argument a float; ReportLab takes a font name here.
        initialFontName=REGULAR,  # type: ignore[arg-type]
        initialFontSize=12,
    )
    for font in FONTS:  # fixed PDF names (/F1, /F2) in every file, so recorded operators fit
        _ttfont(font).getSubsetInternalName(0, _document(canvas))
    # Then fixed codes for the letters names and addresses use, so every pack's embedded subset is the same
    # bytes: a print batch writes it once for all its packs (print_batches/stream_pdf.py).
    _ttfont(REGULAR).splitString(_repertoire(REGULAR), _document(canvas))
    stamp = f"D:{letter_date:%Y%m%d}090000+00'00'"
    canvas.setDateFormatter(lambda *_: stamp)
    canvas.setTitle(title)
    canvas.setCreator("survey line")
    canvas.setAuthor("survey line")
    canvas.setSubject("Paper survey pack")
    return canvas


# Beyond ASCII (which ReportLab always codes the same): Latin-1's letters and signs, typographic punctuation, and
# Welsh and Polish letters, in a fixed order, so they fit in the font's first subset beside what the shared pages
# use. Names and addresses are printed in the regular font (the bold prints only the reference and the date,
# in ASCII). A character outside this set still prints: it takes the next free code in that pack's own copy
# of the font, which a print batch then keeps apart under a name of its own.
REPERTOIRE = "".join(chr(c) for c in range(0xA1, 0x100) if c != 0xAD) + "‘’“”–—…€ŴŵŶŷĄąĆćĘęŁłŃńŚśŹźŻż"


@cache
def _repertoire(font: str) -> str:
    register_fonts()
    return "".join(ch for ch in REPERTOIRE if ord(ch) in _ttfont(font).face.charToGlyph)


def _font_encoding(doc) -> dict[str, tuple[str, tuple[tuple[int, int], ...]]]:
    out = {}
    for name in FONTS:
        font = _ttfont(name)
        out[name] = (font.getSubsetInternalName(0, doc), tuple(_codes(font, doc).items()))
    return out


@cache
def record(pages: tuple[SharedPage, ...]) -> Recording:
    """Draw `pages` once into a scratch document and keep the operators of each form."""
    canvas = new_canvas(io.BytesIO(), date(2000, 1, 1))
    operators = {}
    for page in pages:
        canvas.beginForm(page.form_name)
        draw_page(canvas, page.content)
        operators[page.form_name] = tuple(_operators(canvas))
        canvas.endForm()
    return Recording(operators, _font_encoding(_document(canvas)))


def _encodes_alike(canvas: Canvas, recording: Recording) -> bool:
    """Whether text in this canvas is encoded as in the recording, assigning missing codes in its order."""
    doc = _document(canvas)
    for name, (pdf_name, assignments) in recording.encodings.items():
        font = _ttfont(name)
        if font.getSubsetInternalName(0, doc) != pdf_name:
            return False
        codes = _codes(font, doc)
        for char, code in assignments:
            if char not in codes:
                font.splitString(chr(char), doc)
            if codes.get(char) != code:
                return False
    return True


_checked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # canvas -> {pages: recording usable}


def define_forms(canvas: Canvas, pages: tuple[SharedPage, ...]) -> None:
    """Make sure every page of `pages` is defined as a form in `canvas` (a no-op after the first pack)."""
    missing = [page for page in pages if not canvas.hasForm(page.form_name)]
    if not missing:
        return
    recording = record(pages)
    usable = _checked.setdefault(canvas, {})
    if pages not in usable:
        usable[pages] = _encodes_alike(canvas, recording)
    for page in missing:
        canvas.beginForm(page.form_name)
        if usable[pages]:
            _operators(canvas).extend(recording.operators[page.form_name])
        else:
            draw_page(canvas, page.content)
        canvas.endForm()
        # The same stream in every pack of this layout: deflated, and its dictionary written, once per process
        # (the same bytes out).
        objects = _document(canvas).idToObject
        form = objects[xObjectName(page.form_name)]
        if form.compression:
            form.Contents, form.compression = PDFStream(content=form.stream, filters=[DEFLATE_ONCE]), 0
            objects[xObjectName(page.form_name)] = share_form(form)
