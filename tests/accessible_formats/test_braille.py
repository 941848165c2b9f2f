"""The braille copy, read back: page size, page numbers, UEB grade 2 (not the American code), layout."""

from __future__ import annotations

import pytest

from service.accessible_formats.braille import (
    CELLS_PER_LINE,
    LINES_PER_PAGE,
    braille_number,
    make_braille,
    print_texts,
    translate,
)
from service.accessible_formats.document import document_blocks
from service.accessible_formats.tools import braille_tools
from tests.accessible_formats.reading import (
    KNOWN_BACK_TRANSLATION_QUIRKS,
    back_translation_differences,
    brf_pages,
    brf_paragraphs,
    sample_content,
    words,
)


@pytest.fixture(scope="module")
def tools(app):
    with app.app_context():
        found = braille_tools()
    assert found.available, found.missing_reason
    return found


@pytest.fixture(scope="module")
def braille(tools):
    return make_braille(sample_content(), tools)


def test_every_page_is_40_cells_by_25_lines_with_its_braille_page_number(braille):
    pages = brf_pages(braille.brf)
    assert len(pages) == braille.pages >= 5
    for number, lines in enumerate(pages, start=1):
        assert len(lines) <= LINES_PER_PAGE
        assert all(len(line) <= CELLS_PER_LINE for line in lines)
        assert lines[0] == braille_number(number).rjust(CELLS_PER_LINE)  # top right, e.g. "#c" on page 3
    # ASCII braille only: the 64 cells are printable ASCII, nothing else (no tick-box characters).
    assert all(32 <= byte <= 126 or byte in b"\r\n\f" for byte in braille.brf)


def test_braille_page_numbers_are_ueb_numbers(tools):
    assert translate(tools, [braille_number(n) for n in (1, 10, 12)], backward=True) == ["1", "10", "12"]


def test_back_translates_to_the_letter_and_every_question(braille, tools):
    content = sample_content()
    source = print_texts(document_blocks(content, "braille"))
    assert back_translation_differences(tools, braille.brf, source) == KNOWN_BACK_TRANSLATION_QUIRKS
    back = " ".join(
        words(" ".join(translate(tools, [line for page in brf_pages(braille.brf) for line in page[1:]], True)))
    )
    for needed in ("482 913 5570", "0151 330 1249", "jane smith", "by phone", "in writing", "no boxes to tick"):
        assert " ".join(words(needed)) in back
    for question in content.questionnaire.questions:
        assert " ".join(words(f"{question.number} {question.text}")) in back, question.number


def test_the_american_code_fails_the_check(tools):
    """The known trap: American (EBAE) contractions back-translated as UEB do not match the print."""
    content = sample_content()
    american = make_braille(content, tools, table="en-us-g2.ctb")
    differences = back_translation_differences(tools, american.brf, print_texts(document_blocks(content, "braille")))
    assert len(differences) > 20  # "to", "by", "com", "ble"... all read differently


def test_questions_list_their_options_with_codes_and_are_not_split(braille, tools):
    pages = brf_pages(braille.brf)
    page = next(lines for lines in pages if any(line.startswith("#a;a4") for line in lines))
    start = next(i for i, line in enumerate(page) if line.startswith("#a;a4"))
    block = page[start : page.index("", start) if "" in page[start:] else len(page)]
    assert all(line.startswith("  ") for line in block[1:])  # runovers and options at cell 3
    options = sample_content().questionnaire.question("q1a_infrastructure_priority").options
    back = translate(tools, [line.strip() for line in block[-len(options) :]], backward=True)
    assert [text.replace("\u2019", "'") for text in back] == [f"{o.code} {o.label}" for o in options]


def test_the_letter_names_the_phone_menu_keys_the_menu_really_uses(braille, tools):
    from service.ivr.prompts import MAIN_MENU

    back = " ".join(words(" ".join(translate(tools, brf_paragraphs(braille.brf), backward=True))))
    assert (
        "press 5 to answer the questions by phone" in back
        and "To answer the survey now, by phone, press 5" in MAIN_MENU
    )
    assert "press 4 to speak to an adviser" in back and "To speak to an adviser, press 4" in MAIN_MENU
