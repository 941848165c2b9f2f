"""Lines in scripts that must be shaped to be read: Arabic and Urdu (joined, right to left), Hebrew (right to
left), Bengali and Gurmukhi (conjuncts, vowel signs placed before or above their consonant).

A line is cut into runs by the Unicode bidirectional algorithm (python-bidi) and by font; each run in a script
font is shaped by HarfBuzz through ReportLab (glyphs come back in the order they are seen, left to right); then
the runs are put in visual order. Lines with nothing to shape take the plain path (service/packs/fonts.py), so
Latin, Greek, Cyrillic and Chinese names print exactly as before.

Glyphs a font has no character for (a conjunct, a ligature) are drawn by ReportLab under private-use codes; so
that a PDF reader, a screen reader or a search still reads the name, each such code's ToUnicode entry names the
characters it was shaped from.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from bidi.algorithm import (
    explicit_embed_and_overrides,
    get_base_level,
    get_embedding_levels,
    get_empty_storage,
    resolve_implicit_levels,
    resolve_neutral_types,
    resolve_weak_types,
)
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeFragWord

from service.packs import fonts
from service.packs.fonts import SCRIPT_FONTS, font_for, font_runs, register_fonts

# Kerning and the ligatures a script requires; never discretionary ones (which print "Muhammad" as one
# calligraphic sign with vowel marks nobody typed).
FEATURES = {"kern": True, "liga": True, "dlig": False}
_MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_PRIVATE_USE = range(0xE000, 0xF900)
# Font name -> private-use character -> the characters the glyph drawn under it was shaped from.
_SHAPED_FROM: dict[str, dict[int, str]] = {}


def _ttf(font: str) -> TTFont:
    registered = pdfmetrics.getFont(font)
    if not isinstance(registered, TTFont):  # every font of the pack is a TrueType file
        raise TypeError(f"{font} is not a TrueType font")
    return registered


def _shape_data(run: ShapedStr) -> list:
    """HarfBuzz's cluster, advance and offsets for each glyph of a shaped run (ReportLab keeps them on the str)."""
    return run.__shapeData__  # type: ignore[attr-defined]


def needs_bidi_or_shaping(text: str) -> bool:
    return any(font_for(ch) in SCRIPT_FONTS or unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _levels(text: str) -> list[int]:
    """The resolved embedding level of each character (even: left to right, odd: right to left)."""
    storage = get_empty_storage()
    storage["base_level"] = get_base_level(text)
    storage["base_dir"] = ("L", "R")[storage["base_level"]]
    get_embedding_levels(text, storage)
    explicit_embed_and_overrides(storage)
    resolve_weak_types(storage)
    resolve_neutral_types(storage, False)
    resolve_implicit_levels(storage, False)
    return [ch["level"] for ch in storage["chars"]]


def _fonts(text: str) -> list[str]:
    """Each character's font; a space or punctuation between two letters of a script goes in that script's font,
    so a name of several words is shaped as one run."""
    chosen = [font_for(ch) for ch in text]
    for i, ch in enumerate(text):
        if unicodedata.category(ch)[0] in "ZP" and not fonts.needs_shaping(ch):
            before = next((chosen[j] for j in range(i - 1, -1, -1) if not _neutral(text[j])), None)
            after = next((chosen[j] for j in range(i + 1, len(text)) if not _neutral(text[j])), None)
            if before == after and before in SCRIPT_FONTS and ord(ch) in fonts._characters(before):
                chosen[i] = before
    return chosen


def _neutral(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "ZP" and not fonts.needs_shaping(ch)


def _shape(font: str, text: str) -> ShapedStr:
    """`text` shaped by HarfBuzz in `font`: glyphs in visual order, positions per 1000 units of the size."""
    word = shapeFragWord([0, (ABag(fontName=font, fontSize=10), text)], features=FEATURES, force=True)
    shaped = word[1][1]
    _remember_private_glyphs(font, text, shaped)
    return shaped


def _remember_private_glyphs(font: str, text: str, shaped: ShapedStr) -> None:
    """Say what each private-use glyph stands for: its cluster's characters not drawn by a glyph of their own."""
    known = _SHAPED_FROM.setdefault(font, {})
    starts = sorted({data.cluster for data in _shape_data(shaped)})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    for start in starts:
        glyphs = [ord(ch) for ch, data in zip(shaped, _shape_data(shaped), strict=True) if data.cluster == start]
        private = [code for code in glyphs if code in _PRIVATE_USE]
        if not private:
            continue
        drawn = "".join(unicodedata.normalize("NFKC", chr(code)) for code in glyphs if code not in _PRIVATE_USE)
        rest = "".join(ch for ch in text[start : ends[start]] if ch not in drawn) or text[start : ends[start]]
        known.setdefault(private[0], rest)
        for code in private[1:]:
            known.setdefault(code, "\u200c")  # a second glyph of the same cluster: nothing more to read


@lru_cache(maxsize=4096)
def visual_runs(text: str) -> tuple[tuple[str, str], ...]:
    """(font, text) runs of one line in the order they are drawn, left to right; shaped runs are ShapedStr."""
    register_fonts()
    if not needs_bidi_or_shaping(text):
        return tuple(font_runs(text))
    levels, chosen = _levels(text), _fonts(text)
    runs: list[list] = []  # [level, font, logical text]
    for ch, level, font in zip(text, levels, chosen, strict=True):
        if runs and runs[-1][0] == level and runs[-1][1] == font:
            runs[-1][2] += ch
        else:
            runs.append([level, font, ch])
    drawn = []
    for level, font, run in runs:
        if font in SCRIPT_FONTS:
            drawn.append((level, font, _shape(font, run)))  # HarfBuzz orders the glyphs itself
        elif level % 2:
            drawn.append((level, font, run[::-1].translate(_MIRRORED)))
        else:
            drawn.append((level, font, run))
    # Rule L2: from the highest level to the lowest odd one, reverse every sequence of runs at that level or above.
    highest = max(level for level, _, _ in drawn)
    lowest_odd = min((level for level, _, _ in drawn if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(drawn):
            if drawn[i][0] >= level:
                j = i
                while j < len(drawn) and drawn[j][0] >= level:
                    j += 1
                drawn[i:j] = drawn[i:j][::-1]
                i = j
            else:
                i += 1
    return tuple((font, run) for _, font, run in drawn)


def shaping_problem(line: str) -> str | None:
    """Why a line that prints character by character still cannot be shaped properly, or None."""
    for font, run in visual_runs(line):
        if not isinstance(run, ShapedStr):
            continue
        glyph_of = _ttf(font).face.charToGlyph
        if any(glyph_of.get(ord(ch)) == 0 for ch in run):
            return "The letter cannot print this line as written: ask the caller to spell it in Latin letters"
        if "\u25cc" in run and "\u25cc" not in line:  # HarfBuzz's dotted circle: a sign with no letter to sit on
            return "A vowel sign or mark here has no letter before it: check the spelling with the caller"
    return None


def run_width(font: str, run: str, size: float) -> float:
    if isinstance(run, ShapedStr):
        return sum(data.x_advance for data in _shape_data(run)) * size / 1000
    return pdfmetrics.stringWidth(run, font, size)


def string_width(text: str, size: float) -> float:
    """How wide `text` prints at `size`, shaped where it must be, each run in its own font."""
    return sum(run_width(font, run, size) for font, run in visual_runs(text))


def _shaped_extent(font: str, run: ShapedStr) -> tuple[float, float]:
    """The top and bottom of the ink of a shaped run, per point of size (marks above, a yeh's tail below)."""
    ttf = _ttf(font)
    hb_font = ttf.hbFont(10)
    scale = ttf.face.unitsPerEm
    top, bottom = 0.0, 0.0
    for ch, data in zip(run, _shape_data(run), strict=True):
        extents = hb_font.get_glyph_extents(ttf.face.charToGlyph[ord(ch)])
        if extents is None or not extents.height:
            continue
        top = max(top, extents.y_bearing / scale + data.y_offset / 1000)
        bottom = min(bottom, (extents.y_bearing + extents.height) / scale + data.y_offset / 1000)
    return top, bottom


@lru_cache(maxsize=4096)
def line_extent(text: str) -> tuple[float, float]:
    """How far a line reaches above and below its baseline, per point of size: the main font's ascent and
    descent, or further where a shaped script's ink does."""
    register_fonts()
    ascent, descent = pdfmetrics.getAscentDescent(fonts.REGULAR, 1)
    for font, run in visual_runs(text):
        top, bottom = _shaped_extent(font, run) if isinstance(run, ShapedStr) else (ascent, descent)
        ascent, descent = max(ascent, top), min(descent, bottom)
    return ascent, descent


def address_line_gaps(lines) -> list[float]:
    """The distance from each line's baseline to the next, per point of size: the letter's usual leading, or more
    where a shaped line reaches down (or the next one up) so far that the two would touch."""
    from service.packs.layout import ADDRESS_LEADING_RATIO

    extents = [line_extent(line) for line in lines]
    return [
        max(ADDRESS_LEADING_RATIO, -below[1] + above[0] + 0.15)
        for below, above in zip(extents, extents[1:], strict=False)
    ]


def address_height(lines) -> float:
    """How tall the window's lines print, per point of size, from the first one's top to the last one's bottom."""
    return line_extent(lines[0])[0] + sum(address_line_gaps(lines)) - line_extent(lines[-1])[1]


def draw_runs(text_object, text: str, size: float, leading: float | None = None) -> None:
    """Add one line to a ReportLab text object, run by run, from its current point."""
    for font, run in visual_runs(text):
        text_object.setFont(font, size, leading)
        text_object.textOut(run)


_plain_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset) -> str:
    """ReportLab's ToUnicode map, with each private-use glyph mapped to the characters it was shaped from."""
    cmap = _plain_to_unicode_cmap(fontname, subset)
    known = next((found for font, found in _SHAPED_FROM.items() if fontname.endswith(f"+{_face_name(font)}")), None)
    if not known:
        return cmap
    for code, char in enumerate(subset):
        if char in known:
            text = known[char].encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{code:02X}> <{char:04X}>", f"<{code:02X}> <{text}>")
    return cmap


@lru_cache
def _face_name(font: str) -> str:
    return _ttf(font).face.name.decode("latin-1")


# ReportLab names a private-use code's text as itself; the real characters make the PDF readable and searchable.
ttfonts.makeToUnicodeCMap = _to_unicode_cmap
