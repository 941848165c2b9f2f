"""Format once per process the PDF objects every pack repeats byte for byte: the shared pages' form
dictionaries and the fonts' width tables.

`compress_once` deflates their streams once; writing them out was still about two fifths of saving a pack,
most of it ReportLab putting each of a font subset's 256 widths through its Python number formatter, again
for every pack. The bytes are the same either way: a form's are a function of its stream, its box and where
the document put the fonts it names, which is what the cache is keyed on; a width table's of its numbers.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFFormXObject, PDFObject, PDFTrueTypeFont

_REPEATING = 256  # distinct forms and width tables kept: a few layouts' pages, a few fonts' subsets
_forms: dict[tuple[Any, ...], bytes] = {}
_widths: dict[tuple[int, ...], bytes] = {}


def _remember(cache: dict, key: Any, made: bytes) -> bytes:
    if len(cache) >= _REPEATING:  # a long-running worker meeting many layouts: start again, never grow
        cache.clear()
    cache[key] = made
    return made


class SharedForm(PDFFormXObject):
    """A shared page's form XObject, written out once for each place its fonts can be in a document."""

    def format(self, document: Any) -> bytes:
        if self.XObjects or self.Resources or self.Annots or self.BBox or self.Matrix:
            return super().format(document)  # forms drawing forms, or set up by hand: not what a pack has
        fonts = document.idToObjectNumberAndVersion.get("BasicFonts")
        filters = tuple(type(f).__name__ for f in self.Contents.filters or ()) if self.Contents else None
        key = (self.stream, filters, self.lowerx, self.lowery, self.upperx, self.uppery, self.hasImages, fonts)
        return _forms.get(key) or _remember(_forms, key, super().format(document))


def share_form(form: PDFFormXObject) -> SharedForm:
    """`form`, ended and compressed, as a SharedForm (its attributes, its name in the document)."""
    shared = SharedForm.__new__(SharedForm)
    shared.__dict__.update(form.__dict__)
    return shared


class FormattedWidths(PDFObject):
    """A font subset's /Widths array, formatted once for each distinct table."""

    def __init__(self, widths: PDFArray) -> None:
        self.array = widths
        self.key = tuple(widths.sequence)

    def format(self, document: Any) -> bytes:
        return _widths.get(self.key) or _remember(_widths, self.key, self.array.format(document))


def format_widths_once(font: Any) -> None:
    """After `font` adds its subsets to a document, have each one's widths written from the cache."""
    add_objects = font.addObjects

    def add_then_share_widths(doc: Any) -> None:
        add_objects(doc)
        for pdf_font in doc.idToObject["BasicFonts"].dict.values():
            widths = getattr(pdf_font, "Widths", None)  # set by TTFont.addObjects, unknown to the type stubs
            if isinstance(pdf_font, PDFTrueTypeFont) and isinstance(widths, PDFArray):
                setattr(pdf_font, "Widths", FormattedWidths(widths))  # noqa: B010

    font.addObjects = add_then_share_widths
