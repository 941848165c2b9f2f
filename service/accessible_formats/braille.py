"""Braille: the letter and questionnaire in Unified English Braille grade 2, laid out as a BRF file.

Only the translation comes from liblouis (its `lou_translate`, with the UEB table named every time);
the page layout is done here. liblouis's own page-layout tool quietly falls back to the old American
code unless every one of its tables is set to UEB, so it is not used.

Layout follows UKAAF's guidance on braille forms: headings centred; blocked paragraphs with a blank
line between; each question starts at cell 1 with its number, runs over to cell 3, and lists its
options one per line at cell 3 with their codes (runovers at cell 5); no tick boxes. Line 1 of every
page carries the braille page number at the right margin. A question is not split across pages when it
fits on one.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.accessible_formats.document import (
    AccessibleContent,
    Block,
    Heading,
    Listing,
    NewPage,
    Paragraph,
    QuestionBlock,
    document_blocks,
)
from service.accessible_formats.tools import BRAILLE_TABLE, Tools

CELLS_PER_LINE = 40
LINES_PER_PAGE = 25
TEXT_LINES_PER_PAGE = LINES_PER_PAGE - 1  # line 1 holds the page number
# UEB's line continuation indicator (dots 6, 3-6): ends a line where an unspaced sequence such as a web
# address had to be divided.
CONTINUATION = ",-"
LINE_END = "\r\n"  # BRF: CR LF between lines, a form feed after every page
PAGE_END = "\f"
# The UEB numeric indicator and the letters a-j for the digits 1-9 and 0.
_DIGIT_CELLS = dict(zip("1234567890", "abcdefghij", strict=True))


@dataclass(frozen=True)
class BrailleFile:
    brf: bytes
    pages: int


def braille_number(number: int) -> str:
    """A page number in UEB: the numeric indicator, then a letter per digit (`#aj` is 10)."""
    return "#" + "".join(_DIGIT_CELLS[d] for d in str(number))


def translate(tools: Tools, texts: list[str], backward: bool = False, table: str = BRAILLE_TABLE) -> list[str]:
    """Translate each text (one line each) to UEB grade 2 ASCII braille, or back to print."""
    lines = [" ".join(text.split()) for text in texts]  # one input line per text
    output = tools.run(
        "lou_translate", "--backward" if backward else "--forward", table, input_text="\n".join(lines) + "\n"
    )
    translated = output.split("\n")[: len(lines)]
    if len(translated) != len(lines):
        raise ValueError("liblouis returned a different number of lines")
    return translated


def wrap(braille: str, first_indent: int = 0, runover_indent: int = 0) -> list[str]:
    """Break braille into lines of at most 40 cells at spaces; a longer word is divided with the indicator."""
    lines: list[str] = []
    current, indent = "", first_indent
    for word in braille.split():
        while True:
            room = CELLS_PER_LINE - indent - (len(current) + 1 if current else 0)
            if len(word) <= room:
                current = f"{current} {word}" if current else word
                break
            if current:
                lines.append(" " * indent + current)
                current, indent = "", runover_indent
                continue
            cut = CELLS_PER_LINE - indent - len(CONTINUATION)
            lines.append(" " * indent + word[:cut] + CONTINUATION)
            word, indent = word[cut:], runover_indent
    if current:
        lines.append(" " * indent + current)
    return lines


def centred(braille: str) -> list[str]:
    return [" " * ((CELLS_PER_LINE - len(line)) // 2) + line for line in wrap(braille)]


class Pages:
    """Braille pages filled line by line, a blank line between blocks (never at the top of a page)."""

    def __init__(self) -> None:
        self.pages: list[list[str]] = [[]]

    @property
    def room(self) -> int:
        return TEXT_LINES_PER_PAGE - len(self.pages[-1])

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])

    def add(self, lines: list[str], keep_together: bool = False, lines_after: int = 0) -> None:
        """Add a block; kept together (with `lines_after` lines of what follows) when it fits on a page."""
        gap = 1 if self.pages[-1] else 0
        needed = len(lines) + lines_after
        if keep_together and needed + gap > self.room and needed <= TEXT_LINES_PER_PAGE:
            self.new_page()
            gap = 0
        if gap and self.room > 1:
            self.pages[-1].append("")
        elif gap:
            self.new_page()
        for line in lines:
            if self.room == 0:
                self.new_page()
            self.pages[-1].append(line)

    def brf(self) -> bytes:
        out = []
        for number, lines in enumerate(self.pages, start=1):
            page_number = braille_number(number)
            out.append(LINE_END.join([page_number.rjust(CELLS_PER_LINE), *lines]) + LINE_END + PAGE_END)
        return "".join(out).encode("ascii")


def _texts(block: Block) -> list[str]:
    """The print texts of a block, in the order they are brailled."""
    match block:
        case Heading(text) | Paragraph(text):
            return [text]
        case Listing(lines):
            return list(lines)
        case QuestionBlock():
            extra = [block.help] if block.help else []
            return [f"{block.number}. {block.text}", *extra, block.how_to_answer] + [
                f"{code} {label}" for code, label in block.options
            ]
    return []


def lay_out(blocks: list[Block], translated: list[str]) -> Pages:
    """Place the translated texts of `blocks` (in order) on braille pages."""
    pages, queue = Pages(), iter(translated)
    for block in blocks:
        texts = [next(queue) for _ in _texts(block)]
        match block:
            case NewPage():
                pages.new_page()
            case Heading():
                pages.add(centred(texts[0]), keep_together=True, lines_after=3)  # never last on a page
            case Paragraph():
                pages.add(wrap(texts[0]))
            case Listing():
                pages.add([line for text in texts for line in wrap(text, 0, 2)], keep_together=True)
            case QuestionBlock():
                head, *rest = texts
                options = rest[-len(block.options) :] if block.options else []
                notes = rest[: len(rest) - len(options)]
                lines = wrap(head, 0, 2)
                for note in notes:
                    lines += wrap(note, 2, 2)
                for option in options:
                    lines += wrap(option, 2, 4)
                pages.add(lines, keep_together=True)
    return pages


def print_texts(blocks: list[Block]) -> list[str]:
    """Every print text of `blocks`, in braille order: what the braille must read back as."""
    return [text for block in blocks for text in _texts(block)]


def make_braille(content: AccessibleContent, tools: Tools, table: str = BRAILLE_TABLE) -> BrailleFile:
    """The braille copy of the letter and questionnaire, as a BRF file (`table`: only tests change it)."""
    blocks = document_blocks(content, "braille")
    pages = lay_out(blocks, translate(tools, print_texts(blocks), table=table))
    return BrailleFile(brf=pages.brf(), pages=len(pages.pages))
