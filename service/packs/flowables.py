"""Paragraph styles and the few flowables a pack needs: stacks kept on one page, tick boxes, writing boxes."""

from __future__ import annotations

import re
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.colors import black, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from service.packs.fonts import BOLD, REGULAR, register_fonts
from service.packs.layout import STYLES, PrintStyle

BOX_LINE_WIDTH_PT = 1.2
WRITING_LINE_WIDTH_PT = 0.5


@cache
def paragraph_styles(fmt: str) -> dict[str, ParagraphStyle]:
    """Paragraph styles of one format: embedded sans serif, left aligned, black on white."""
    register_fonts()
    s = STYLES[fmt]
    base = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=s.body_pt, leading=s.leading_pt, alignment=TA_LEFT, textColor=black
    )
    return {
        "body": base,
        "bold": ParagraphStyle("bold", parent=base, fontName=BOLD),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=BOLD, fontSize=s.heading_pt, leading=s.heading_pt * 1.3
        ),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=s.title_pt, leading=s.title_pt * 1.25),
    }


def para(text: str, fmt: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped, so `&` and `<` print as written)."""
    return Paragraph(escape(text), paragraph_styles(fmt)[style])


def markup(xml: str, fmt: str, style: str = "body") -> Paragraph:
    """A paragraph of ReportLab mini-markup the caller has already escaped."""
    return Paragraph(xml, paragraph_styles(fmt)[style])


class Gap(Flowable):
    """Vertical space inside a Stack."""

    def __init__(self, height_mm: float):
        super().__init__()
        self.height = height_mm * mm

    def wrap(self, avail_width, avail_height):
        return avail_width, self.height

    def draw(self):
        pass


class Stack(Flowable):
    """Children one under another, never split across pages: keeps a question with its boxes."""

    def __init__(self, children: list[Flowable], indent_mm: float = 0.0):
        super().__init__()
        self.children = children
        self.indent = indent_mm * mm
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, avail_width, avail_height):
        inner = avail_width - self.indent
        self._sizes = [child.wrap(inner, 10_000) for child in self.children]
        self.width = avail_width
        self.height = sum(h for _, h in self._sizes)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []

    def placements(self):
        """Each child with the bottom-left point it is drawn at, relative to the stack (after `wrap`)."""
        y = self.height
        for child, (_, h) in zip(self.children, self._sizes, strict=True):
            y -= h
            yield child, self.indent, y

    def draw(self):
        for child, x, y in self.placements():
            child.drawOn(self.canv, x, y)


class NumberedStack(Stack):
    """A question: its number in the left gutter, its text, instruction and answer boxes beside it."""

    def __init__(self, number: Paragraph, children: list[Flowable], gutter_mm: float):
        super().__init__(children, indent_mm=gutter_mm)
        self.number = number

    def wrap(self, avail_width, avail_height):
        self.number.wrap(self.indent, 10_000)
        return super().wrap(avail_width, avail_height)

    def draw(self):
        super().draw()
        self.number.drawOn(self.canv, 0, self.height - self.number.height)


class TickOption(Flowable):
    """One answer option: an empty square for a pen tick, its label beside it."""

    def __init__(self, label: Paragraph, style: PrintStyle, question_code: str = "", option_code: str = ""):
        super().__init__()
        self.label = label
        self.box = style.tick_box_mm * mm
        self.gap = style.option_gap_mm * mm
        self.question_code = question_code  # what the scan reader reads this box as
        self.option_code = option_code

    def wrap(self, avail_width, avail_height):
        self.label_width, self.label_height = self.label.wrap(avail_width - self.box - 3 * mm, 10_000)
        self.width = avail_width
        self.height = max(self.box, self.label_height) + self.gap
        return self.width, self.height

    def box_rect(self) -> tuple[float, float, float, float]:
        """The square's left, bottom, width and height, relative to this flowable (after `wrap`)."""
        top = self.height - self.gap / 2
        return 0.0, top - self.box, self.box, self.box

    def draw(self):
        canvas = self.canv
        top = self.height - self.gap / 2
        canvas.setLineWidth(BOX_LINE_WIDTH_PT)
        canvas.setStrokeColor(black)
        canvas.setFillColor(white)
        canvas.rect(*self.box_rect(), stroke=1, fill=1)
        canvas.setFillColor(black)
        # Centre the label on the box when it is one line; otherwise start level with the box's top.
        label_top = top - max(0, (self.box - self.label_height) / 2)
        self.label.drawOn(canvas, self.box + 3 * mm, label_top - self.label_height)


class WritingBox(Flowable):
    """A box with ruled lines to write an answer on."""

    def __init__(self, lines: int, style: PrintStyle, question_code: str = ""):
        super().__init__()
        self.lines = lines
        self.line_height = style.writing_line_mm * mm
        self.question_code = question_code

    def box_rect(self) -> tuple[float, float, float, float]:
        """The writing box's left, bottom, width and height, relative to this flowable (after `wrap`)."""
        return 0.0, 2 * mm, self.width, self.lines * self.line_height

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = self.lines * self.line_height + 2 * mm
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        bottom = 2 * mm
        canvas.setStrokeColor(black)
        canvas.setLineWidth(BOX_LINE_WIDTH_PT)
        canvas.rect(*self.box_rect(), stroke=1, fill=0)
        canvas.setLineWidth(WRITING_LINE_WIDTH_PT)
        for i in range(1, self.lines):
            y = bottom + i * self.line_height
            canvas.line(3 * mm, y, self.width - 3 * mm, y)


URL_BREAK_AFTER = "/.?="
_URL_PIECES = re.compile(r"[^/.?=]*[/.?=]+|[^/.?=]+$")


def url_pieces(url: str) -> list[str]:
    """`url` cut after each run of `/ . ? =`: the only places a printed web address may break."""
    return [piece for piece in _URL_PIECES.findall(url) if piece]


class TextWithUrl(Flowable):
    """A sentence ending in a web address: words break at spaces, the address only after `/ . ? =`.

    ReportLab would split a long address anywhere (mid-word in large print); here the lines are chosen with
    the paragraph's own font and size and handed to a Paragraph as explicit line breaks.
    """

    def __init__(self, text: str, url: str, fmt: str):
        super().__init__()
        self.text, self.url, self.fmt = text, url, fmt
        self._paragraph: Paragraph | None = None

    def lines(self, width: float) -> list[str]:
        style = paragraph_styles(self.fmt)["body"]
        tokens = [(word, True) for word in self.text.split()]
        tokens += [(piece, index == 0) for index, piece in enumerate(url_pieces(self.url))]
        lines: list[str] = []
        current = ""
        for token, space_before in tokens:
            candidate = f"{current} {token}" if current and space_before else current + token
            if current and stringWidth(candidate, style.fontName, style.fontSize) > width:
                lines.append(current)
                current = token
            else:
                current = candidate
        return [*lines, current]

    def wrap(self, avail_width, avail_height):
        style = ParagraphStyle("url", parent=paragraph_styles(self.fmt)["body"], splitLongWords=0)
        self._paragraph = Paragraph("<br/>".join(escape(line) for line in self.lines(avail_width)), style)
        self.width, self.height = self._paragraph.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        self._paragraph.drawOn(self.canv, 0, 0)
