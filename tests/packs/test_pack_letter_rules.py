"""Page 1 and every page obey GOV.UK Notify's precompiled-letter rules, whatever the address."""

from __future__ import annotations

import pytest

from service.packs.fonts import BOLD, REGULAR, register_fonts
from service.packs.postal_rules import window_problems

from .pdf_rules import CONTACT_COLUMN, MM, PAGE_1_CLEAR_BAND, PRINTABLE, WINDOW, ink, plain

FORMATS = ["standard", "large_print"]

# Seven lines of up to 50 characters, each as wide as the postal rules let it be (the capitals are the widest).
SEVEN_LINES_OF_FIFTY = (
    "Siân Zoë O'Brien-Łukasz Nguyễn-Whitworth-Montgomer",  # the name
    "Flat 14B, Nguyễn House, Westminster Road Workshops",
    "WOMBWELL MANOR WAREHOUSE, MAWDESLEY WAY WESTWA",
    "The Old Mill, Upper Parliament Street, Toxteth Est",
    "Wavertree Technology Park & Business Village, West",
    "Liverpool, Merseyside, United Kingdom, England UKW",
    "L15 9HW",
)


def window_lines(page) -> list[dict]:
    """Text lines of page 1 between 30 and 95 mm from the top, left of the contact column."""
    left_part = page.crop((0, 30 * MM, 122 * MM, 95 * MM))
    return left_part.extract_text_lines()


@pytest.mark.parametrize("fmt", FORMATS)
def test_name_address_and_postcode_sit_inside_the_window(make_content, read_pack, fmt):
    pdf = read_pack(make_content(format=fmt))
    lines = window_lines(pdf.pages[0])
    assert [plain(line["text"]) for line in lines] == ["Siân Jones", "12 Hope Street", "Liverpool", "L1 9BQ"]
    for line in lines:
        assert all(WINDOW.holds(c) for c in line["chars"]), line["text"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_seven_long_lines_and_awkward_names_fit_the_window_with_every_glyph(make_content, read_pack, fmt):
    assert window_problems(SEVEN_LINES_OF_FIFTY) == {}
    assert window_problems((*SEVEN_LINES_OF_FIFTY[:2], SEVEN_LINES_OF_FIFTY[2] + "RDMW", *SEVEN_LINES_OF_FIFTY[3:]))
    content = make_content(format=fmt, recipient_name=SEVEN_LINES_OF_FIFTY[0], address_lines=SEVEN_LINES_OF_FIFTY[1:])
    page = read_pack(content).pages[0]
    lines = window_lines(page)
    assert [plain(line["text"]) for line in lines] == list(SEVEN_LINES_OF_FIFTY)
    for line in lines:
        assert all(WINDOW.holds(c) for c in line["chars"]), line["text"]
    # The salutation prints the name exactly too.
    assert "Dear Siân Zoë O'Brien-Łukasz Nguyễn-Whitworth-Montgomer," in plain(page.extract_text())
    # No glyph is missing from the embedded font (a missing one would print as an empty box).
    register_fonts()
    from reportlab.pdfbase.pdfmetrics import getFont

    for font in (REGULAR, BOLD):
        cmap = getFont(font).face.charToGlyph
        missing = {ch for line in SEVEN_LINES_OF_FIFTY for ch in line if ord(ch) not in cmap}
        assert not missing, f"{font} lacks {missing}"


@pytest.mark.parametrize("name", ["Siân", "Zoë", "O'Brien-Łukasz", "Nguyễn"])
def test_names_print_exactly_as_written(make_content, read_pack, name):
    page = read_pack(make_content(recipient_name=f"{name} Smith")).pages[0]
    assert plain(window_lines(page)[0]["text"]) == f"{name} Smith"
    assert f"Dear {name} Smith," in plain(page.extract_text())


@pytest.mark.parametrize("fmt", FORMATS)
def test_page_1_band_holds_only_the_window_and_the_contact_column(make_content, read_pack, fmt):
    content = make_content(format=fmt, recipient_name=SEVEN_LINES_OF_FIFTY[0], address_lines=SEVEN_LINES_OF_FIFTY[1:])
    page = read_pack(content).pages[0]
    intruders = [
        obj
        for obj in ink(page)
        if PAGE_1_CLEAR_BAND.touches(obj) and not (WINDOW.holds(obj) or CONTACT_COLUMN.holds(obj))
    ]
    assert intruders == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_contact_column_holds_reference_and_phone_line(make_content, read_pack, fmt):
    page = read_pack(make_content(format=fmt)).pages[0]
    column = plain(page.crop((125 * MM, 5 * MM, 195 * MM, 95 * MM)).extract_text())
    assert "482 913 5570" in column
    assert "0151 330 1249" in column


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_is_printed_in_the_margins_of_any_page(make_content, read_pack, fmt):
    content = make_content(format=fmt, recipient_name=SEVEN_LINES_OF_FIFTY[0], address_lines=SEVEN_LINES_OF_FIFTY[1:])
    for page in read_pack(content).pages:
        outside = [obj for obj in ink(page) if not PRINTABLE.holds(obj)]
        assert outside == [], f"page {page.page_number}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_letter_body_starts_below_95_mm(make_content, read_pack, fmt):
    page = read_pack(make_content(format=fmt)).pages[0]
    body = [c for c in ink(page) if not (WINDOW.holds(c) or CONTACT_COLUMN.holds(c)) and c["top"] > 30 * MM]
    assert min(c["top"] for c in body) >= 95 * MM


@pytest.mark.parametrize("fmt", FORMATS)
def test_letter_says_who_what_when_and_how(make_content, read_pack, facts, fmt):
    pdf = read_pack(make_content(format=fmt))
    letter = plain(" ".join(p.extract_text() for p in pdf.pages[:2]))
    for expected in (
        facts.organisation,
        "2 December 2020",
        "Wednesday 13 January 2021",
        "0151 330 1249",
        "482 913 5570",
        "black or blue pen",
        "Freepost",
    ):
        assert expected in letter
    assert facts.online_survey_url in letter.replace(" ", "")  # a long URL may wrap


def test_blank_pack_has_no_address_and_a_general_greeting(make_content, read_pack):
    page = read_pack(make_content(recipient_name=None, address_lines=())).pages[0]
    assert [obj for obj in ink(page) if WINDOW.touches(obj)] == []
    assert "Dear resident," in plain(page.extract_text())
    assert "482 913 5570" in plain(page.extract_text())
