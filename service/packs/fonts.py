"""The embedded open fonts: DejaVu Sans, Droid Sans Fallback for the Chinese and Japanese characters DejaVu
lacks, and a Noto Sans font for each script that must be shaped to be read (Arabic and Urdu, Hebrew, Bengali,
Gurmukhi); licences beside them in pdf_templates/fonts/. A name is drawn in runs, each in the first font of the
chain that has its characters (a shaped script always in its own font, whose rules HarfBuzz applies:
service/packs/shaping.py); all are embedded and subset."""

from __future__ import annotations

from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from service.packs.compress_once import DEFLATE_ONCE
from service.packs.format_once import format_widths_once

FONTS_DIR = Path(__file__).resolve().parents[2] / "pdf_templates" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"
ARABIC = "NotoSansArabic"  # Arabic, Urdu, Persian, Pashto letters
HEBREW = "NotoSansHebrew"
BENGALI = "NotoSansBengali"
GURMUKHI = "NotoSansGurmukhi"
SCRIPT_FONTS = (ARABIC, HEBREW, BENGALI, GURMUKHI)
# Unicode blocks of the scripts drawn in a font of their own, shaped.
_SCRIPT_BLOCKS = (
    (0x0590, 0x05FF, HEBREW),
    (0xFB1D, 0xFB4F, HEBREW),  # Hebrew presentation forms
    (0x0600, 0x06FF, ARABIC),
    (0x0750, 0x077F, ARABIC),  # Arabic supplement
    (0x08A0, 0x08FF, ARABIC),  # Arabic extended-A
    (0xFB50, 0xFDFF, ARABIC),  # Arabic presentation forms-A
    (0xFE70, 0xFEFF, ARABIC),  # Arabic presentation forms-B
    (0x0980, 0x09FF, BENGALI),
    (0x0A00, 0x0A7F, GURMUKHI),
)
# Blocks of scripts that cannot be read unless shaped (joined, reordered, or written right to left). A
# character of these that no script font above covers is refused at intake: drawn glyph by glyph by a font
# that merely has it, it would print wrongly.
_SHAPED_BLOCKS = (
    (0x0590, 0x08FF),  # Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, Arabic extended
    (0x0900, 0x0DFF),  # the Indic scripts
    (0x0E00, 0x0FFF),  # Thai, Lao, Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0xFB1D, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_FIRST_SHAPED = min(first for first, _ in _SHAPED_BLOCKS)


@cache
def register_fonts() -> None:
    """Register the pack fonts with ReportLab once per process (TrueType, so always embedded)."""
    for name, file in (
        (REGULAR, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (FALLBACK, "DroidSansFallbackFull.ttf"),
        (ARABIC, "NotoSansArabic-Regular.ttf"),
        (HEBREW, "NotoSansHebrew-Regular.ttf"),
        (BENGALI, "NotoSansBengali-Regular.ttf"),
        (GURMUKHI, "NotoSansGurmukhi-Regular.ttf"),
    ):
        font = TTFont(name, str(FONTS_DIR / file))
        _subset_once(font.face)
        format_widths_once(font)
        pdfmetrics.registerFont(font)
    # So that <b> in a Paragraph picks the embedded bold, not a base-14 font.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(FALLBACK, 0, 0, FALLBACK)
    addMapping(FALLBACK, 1, 0, FALLBACK)
    for script_font in SCRIPT_FONTS:  # no bold: only the reference and the date are bold, in ASCII
        addMapping(script_font, 0, 0, script_font)
        addMapping(script_font, 1, 0, script_font)


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


def load_fonts() -> None:
    """Register every pack font and read which characters each has (about a fifth of a second): done when a
    process starts, so the first caller whose name or address is checked does not wait for it."""
    register_fonts()
    for font in (REGULAR, BOLD, FALLBACK, *SCRIPT_FONTS):
        _characters(font)


def needs_shaping(ch: str) -> bool:
    """Whether `ch` belongs to a script that prints only when shaped (joined, reordered, right to left)."""
    code = ord(ch)
    # Latin letters come first: asked for every character of every name and address, the search of the
    # blocks was a third of the postal check.
    return code >= _FIRST_SHAPED and any(first <= code <= last for first, last in _SHAPED_BLOCKS)


def script_font(ch: str) -> str | None:
    """The shaped script's own font for `ch`, when there is one and it has the character."""
    code = ord(ch)
    for first, last, font in _SCRIPT_BLOCKS:
        if first <= code <= last:
            return font if code in _characters(font) else None
    return None


def has_glyph(ch: str) -> bool:
    """Whether some font of the chain can print `ch` as it must be printed (a shaped script only in its own font)."""
    if needs_shaping(ch):
        return script_font(ch) is not None
    return ord(ch) in _characters(REGULAR) or ord(ch) in _characters(FALLBACK)


def font_for(ch: str, bold: bool = False) -> str:
    """The first font of the chain with a glyph for `ch` (DejaVu when none has: intake refuses those)."""
    if needs_shaping(ch) and (found := script_font(ch)):
        return found
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
        escape(run) if font == REGULAR else f'<font name="{font}">{escape(run)}</font>' for font, run in font_runs(text)
    )


def string_width(text: str, size: float, bold: bool = False) -> float:
    """How wide `text` prints at `size`, each run measured in its own font."""
    register_fonts()
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in font_runs(text, bold))
