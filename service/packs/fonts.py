"""The embedded open fonts: DejaVu Sans, and Droid Sans Fallback for the Chinese and Japanese characters DejaVu
lacks (licences beside them in pdf_templates/fonts/). A name is drawn in runs, each in the first font of the
chain that has its characters; both are embedded and subset."""

from __future__ import annotations

from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from service.packs.compress_once import DEFLATE_ONCE

FONTS_DIR = Path(__file__).resolve().parents[2] / "pdf_templates" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"


@cache
def register_fonts() -> None:
    """Register the pack fonts with ReportLab once per process (TrueType, so always embedded)."""
    for name, file in (
        (REGULAR, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (FALLBACK, "DroidSansFallbackFull.ttf"),
    ):
        font = TTFont(name, str(FONTS_DIR / file))
        _subset_once(font.face)
        pdfmetrics.registerFont(font)
    # So that <b> in a Paragraph picks the embedded bold, not a base-14 font.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(FALLBACK, 0, 0, FALLBACK)
    addMapping(FALLBACK, 1, 0, FALLBACK)


def _subset_once(face) -> None:
    """Make each distinct subset of `face` (and deflate its program) once per process, not once per pack.

    Every pack embeds the same subsets (service/packs/form_xobjects.py fixes their codes), and cutting a
    TrueType subset is, after the QR codes, the dearest part of a pack. Same subset, same bytes: the cache
    changes no output.
    """
    make = lru_cache(maxsize=16)(lambda subset: face.__class__.makeSubset(face, list(subset)))
    face.makeSubset = lambda subset: make(tuple(subset))
    add = face.addSubsetObjects

    def add_subset_objects(doc, fontname, subset):
        reference = add(doc, fontname, subset)
        doc.idToObject[f"fontFile:{face.filename}({fontname})"].filters = [DEFLATE_ONCE]
        return reference

    face.addSubsetObjects = add_subset_objects


@cache
def _characters(font: str) -> frozenset[int]:
    register_fonts()
    registered = pdfmetrics.getFont(font)
    if not isinstance(registered, TTFont):  # every font registered here is a TrueType file
        raise TypeError(f"{font} is not a TrueType font")
    return frozenset(registered.face.charToGlyph)


def has_glyph(ch: str) -> bool:
    """Whether some font of the chain can print `ch`."""
    return ord(ch) in _characters(REGULAR) or ord(ch) in _characters(FALLBACK)


def font_for(ch: str, bold: bool = False) -> str:
    """The first font of the chain with a glyph for `ch` (DejaVu when none has: intake refuses those)."""
    main = BOLD if bold else REGULAR
    if ord(ch) in _characters(main) or ch.isspace() or ord(ch) not in _characters(FALLBACK):
        return main
    return FALLBACK


def font_runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """`text` cut into (font, text) runs along the fallback chain."""
    return [(font, "".join(chars)) for font, chars in groupby(text, key=lambda ch: font_for(ch, bold))]


def runs_markup(text: str) -> str:
    """`text` escaped as Paragraph mini-markup, with a <font> tag around each run in the fallback font."""
    return "".join(
        escape(run) if font != FALLBACK else f'<font name="{FALLBACK}">{escape(run)}</font>'
        for font, run in font_runs(text)
    )


def string_width(text: str, size: float, bold: bool = False) -> float:
    """How wide `text` prints at `size`, each run measured in its own font."""
    register_fonts()
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in font_runs(text, bold))
