"""The cover letter: its body is the same for a consultation and format (laid out once); the address,
contact column and salutation are personal and drawn per pack."""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent
from reportlab.platypus import Flowable

from service.packs.content import ConsultationFacts, PackContent
from service.packs.flowables import Gap, Stack, TextWithUrl, markup, para
from service.packs.fonts import BOLD, REGULAR, runs_markup
from service.packs.layout import (
    ADDRESS_BOTTOM_FROM_TOP_OF_PAGE_MM,
    ADDRESS_INSET_MM,
    ADDRESS_LEADING_RATIO,
    ADDRESS_LEFT_FROM_LEFT_OF_PAGE_MM,
    ADDRESS_MIN_FONT_SIZE_PT,
    ADDRESS_RIGHT_FROM_LEFT_OF_PAGE_MM,
    ADDRESS_TOP_FROM_TOP_OF_PAGE_MM,
    CONTACT_COLUMN_LEFT_FROM_LEFT_OF_PAGE_MM,
    CONTACT_COLUMN_TOP_FROM_TOP_OF_PAGE_MM,
    CONTENT_BOTTOM_FROM_TOP_OF_PAGE_MM,
    CONTENT_FRAME,
    CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM,
    CONTENT_RIGHT_FROM_LEFT_OF_PAGE_MM,
    LETTER_BODY_TOP_FROM_TOP_OF_PAGE_MM,
    ORGANISATION_TOP_FROM_TOP_OF_PAGE_MM,
    STYLES,
    Rect,
    to_points,
)
from service.packs.letter_wording import LetterWording
from service.packs.paginate import Page, Placed, paginate
from service.packs.postal_rules import check_window
from service.packs.shaping import (
    address_height,
    address_line_gaps,
    draw_runs,
    line_extent,
    needs_bidi_or_shaping,
    string_width,
)
from service.packs.wording import letter_date, phone, unbroken

SALUTATION_LINES = 2  # room kept for "Dear ..." so the cached body never moves; longer falls back


def _salutation_band_mm(fmt: str) -> float:
    return SALUTATION_LINES * STYLES[fmt].leading_pt / mm + 3


def label_position(page: int) -> str:
    """Where the Freepost label is, said from the actual layout (it follows the letter's last page)."""
    return "on page 2, the back of this letter" if page == 2 else f"on page {page}"


def letter_flowables(facts: ConsultationFacts, fmt: str, wording: LetterWording, label_page: int) -> list[Flowable]:
    """The letter's body after the salutation: the same for everyone in a consultation with the same wording."""

    def section(heading: str, *paragraphs: Flowable) -> list[Flowable]:
        # The heading is kept with its first paragraph.
        first, *rest = paragraphs
        out: list[Flowable] = [Stack([para(heading, fmt, "heading"), Gap(1.5), first]), Gap(2.5)]
        for paragraph in rest:
            out += [paragraph, Gap(2.5)]
        return out

    return [
        para(f"Draft {facts.title}" if facts.draft else facts.title, fmt, "heading"),
        Gap(2),
        para(facts.summary, fmt),
        Gap(4),
        *section(
            "How to take part",
            para(facts.letter.how_to_take_part, fmt),
            para(
                "Then post the questionnaire pages back to us in an envelope. You do not need a stamp: the "
                f"Freepost address label is {label_position(label_page)}.",
                fmt,
            ),
            markup(wording.deadline, fmt),
        ),
        *section(
            "Other ways to take part",
            TextWithUrl("You can answer the same questions online at", facts.online_survey_url, fmt),
            markup(
                "If you have a question, or would like another copy or large print, phone "
                f"<b>{escape(unbroken(phone(facts.phone_line)))}</b> and give the reference at the top of this letter.",
                fmt,
            ),
        ),
        *section("What happens next", para(wording.after_closing, fmt)),
        Stack([para(facts.letter.thank_you, fmt), Gap(2), para(facts.organisation, fmt, "bold")]),
    ]


def letter_first_frame(fmt: str) -> Rect:
    """Where the letter's body flows on page 1: below the salutation, above the footer."""
    return Rect.from_top_left_mm(
        CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM,
        LETTER_BODY_TOP_FROM_TOP_OF_PAGE_MM + _salutation_band_mm(fmt),
        CONTENT_RIGHT_FROM_LEFT_OF_PAGE_MM,
        CONTENT_BOTTOM_FROM_TOP_OF_PAGE_MM,
    )


@cache
def letter_pages(facts: ConsultationFacts, fmt: str, wording: LetterWording) -> tuple[Page, ...]:
    """Lay out the letter for a consultation, format and wording once; page 1 also carries the organisation's name.

    The label's page is the one after the letter's last, which the wording itself could change: laid out
    again until the page it names is where it is.
    """
    label_page = 2
    for _ in range(3):
        pages = paginate(letter_flowables(facts, fmt, wording, label_page), letter_first_frame(fmt), CONTENT_FRAME)
        if len(pages) + 1 == label_page:
            break
        label_page = len(pages) + 1
    else:
        raise ValueError("the letter's length does not settle: the label's page cannot be named")
    return (organisation_heading(facts, fmt), *pages[0]), *pages[1:]


def organisation_heading(facts: ConsultationFacts, fmt: str) -> Placed:
    """The organisation's name at the top left of page 1, above the 30 mm line."""
    heading = para(facts.organisation, fmt, "heading")
    # Left of the contact column, above the 30 mm line.
    width = (CONTACT_COLUMN_LEFT_FROM_LEFT_OF_PAGE_MM - 5 - CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM) * mm
    _, height = heading.wrap(width, 1000)
    x, top = to_points(CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM, ORGANISATION_TOP_FROM_TOP_OF_PAGE_MM)
    return Placed(heading, x, top - height)


def address_font_size(lines: tuple[str, ...], max_pt: float) -> float:
    """The largest size up to `max_pt` at which `lines` fit the envelope window, in height and width."""
    height_pt = (ADDRESS_BOTTOM_FROM_TOP_OF_PAGE_MM - ADDRESS_TOP_FROM_TOP_OF_PAGE_MM - 2 * ADDRESS_INSET_MM) * mm
    width_pt = (ADDRESS_RIGHT_FROM_LEFT_OF_PAGE_MM - ADDRESS_LEFT_FROM_LEFT_OF_PAGE_MM - 2 * ADDRESS_INSET_MM) * mm
    widest = max(string_width(line, 1) for line in lines)
    size = min(max_pt, height_pt / address_height(lines), width_pt / widest)
    size = int(size * 10) / 10  # round down, so rounding never pushes ink past the window
    if size < ADDRESS_MIN_FONT_SIZE_PT:
        raise ValueError("the address is too long to print legibly in the envelope window")
    return size


def draw_address(canvas, content: PackContent) -> None:
    """Print the name and address inside the envelope window (nothing for a blank pack)."""
    lines = content.window_lines
    if not lines:
        return
    check_window(lines)  # the very rule intake applied; refuses data saved before it did
    size = address_font_size(lines, STYLES[content.format].address_max_pt)
    x, top = to_points(
        ADDRESS_LEFT_FROM_LEFT_OF_PAGE_MM + ADDRESS_INSET_MM, ADDRESS_TOP_FROM_TOP_OF_PAGE_MM + ADDRESS_INSET_MM
    )
    text = canvas.beginText(x, top - line_extent(lines[0])[0] * size)
    for line, gap in zip(lines, (*address_line_gaps(lines), ADDRESS_LEADING_RATIO), strict=True):
        # Along the font chain (a Chinese name prints in the fallback font), shaped and in visual order where
        # the script needs it (an Arabic name joined, right to left).
        draw_runs(text, line, size, gap * size)
        text.textLine()
    canvas.drawText(text)


def draw_contact_column(canvas, content: PackContent, reference_text: str) -> None:
    """Print the reference, the letter's date and the phone line in the contact column of page 1."""
    style = STYLES[content.format]
    x, y = to_points(CONTACT_COLUMN_LEFT_FROM_LEFT_OF_PAGE_MM, CONTACT_COLUMN_TOP_FROM_TOP_OF_PAGE_MM)
    y -= getAscentDescent(BOLD, style.body_pt)[0]
    rows = (
        ("Your reference", reference_text),
        ("Date", letter_date(content.letter_date)),
        ("Phone", phone(content.consultation.phone_line)),
    )
    for label, value in rows:
        canvas.setFont(REGULAR, style.body_pt)
        canvas.drawString(x, y, label)
        y -= style.leading_pt
        canvas.setFont(BOLD, style.body_pt)
        canvas.drawString(x, y, value)
        y -= style.leading_pt + 2.5 * mm


def draw_salutation(canvas, content: PackContent) -> None:
    """Print "Dear ..." above the cached body; a name too long for its room gets the general greeting."""
    fmt = content.format
    width = CONTENT_FRAME.width
    name = content.recipient_name
    x, top = to_points(CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM, LETTER_BODY_TOP_FROM_TOP_OF_PAGE_MM)
    if name and needs_bidi_or_shaping(name):
        # A Paragraph cannot order right-to-left text: one line drawn like the window's, shaped and in visual order.
        style = STYLES[fmt]
        line = f"Dear {name},"
        if string_width(line, style.body_pt) > width:
            line = "Dear resident,"
        text = canvas.beginText(x, top - style.body_pt)
        draw_runs(text, line, style.body_pt)
        canvas.drawText(text)
        return
    greeting = markup(f"Dear {runs_markup(name)}," if name else "Dear resident,", fmt)
    _, height = greeting.wrap(width, 1000)
    if height > SALUTATION_LINES * STYLES[fmt].leading_pt + 0.01:
        greeting = para("Dear resident,", fmt)
        _, height = greeting.wrap(width, 1000)
    greeting.drawOn(canvas, x, top - height)
