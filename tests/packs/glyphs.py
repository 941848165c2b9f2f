"""Read a PDF's embedded fonts back and find characters printed with the `.notdef` glyph (an empty box).

Independent of the renderer: each embedded TrueType subset's ToUnicode map says which character a code stands
for, and the subset's own cmap (read with fontTools) which glyph it draws; glyph 0 is `.notdef`.
"""

from __future__ import annotations

import io
import re

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _to_unicode(cmap_text: str) -> dict[int, str]:
    out = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap_text, re.S):
        for code, text in _BFCHAR.findall(block):
            out[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap_text, re.S):
        for first, last, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                out[code] = chr(int(start, 16) + offset)
    return out


def _fonts_in(resources, found: dict[int, DictionaryObject]) -> None:
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        font_dict = font.get_object()
        descriptor = font_dict.get("/FontDescriptor")
        if descriptor is not None and "/FontFile2" in descriptor.get_object():
            found[id(font_dict)] = font_dict
    for xobject in (resources.get("/XObject") or {}).values():
        form = xobject.get_object()
        if form.get("/Subtype") == "/Form":
            _fonts_in(form.get("/Resources"), found)


def embedded_fonts(pdf: bytes) -> list[DictionaryObject]:
    """Every font with an embedded TrueType program used on a page or in a form XObject drawn on one."""
    found: dict[int, DictionaryObject] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        _fonts_in(page.get("/Resources"), found)
    return list(found.values())


def notdef_texts(pdf: bytes) -> dict[str, set[str]]:
    """By font name: what text extraction reports for the codes that font draws as `.notdef`."""
    missing: dict[str, set[str]] = {}
    for font in embedded_fonts(pdf):
        program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        tables = TTFont(io.BytesIO(program))["cmap"].tables
        glyph_of = {code: glyph for table in tables for code, glyph in table.cmap.items()}
        text_of = _to_unicode(font["/ToUnicode"].get_object().get_data().decode("latin-1"))
        name = str(font["/BaseFont"]).lstrip("/")
        missing[name] = {text for code, text in text_of.items() if glyph_of.get(code, ".notdef") == ".notdef"}
    return missing


def printed_as_notdef(pdf: bytes) -> list[str]:
    """The characters on any page that print as an empty box (`.notdef`), as text extraction reads them."""
    import pdfplumber

    notdef = notdef_texts(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [c["text"] for page in document.pages for c in page.chars if c["text"] in notdef.get(c["fontname"], ())]
