"""The letter tells the truth: its deadline and next step from the consultation's data and the letter's date,
the label's page from the actual layout, and web addresses broken only at `/ . ? =`."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

import pytest

from service.packs.flowables import URL_BREAK_AFTER

from .pdf_rules import plain

FORMATS = ["standard", "large_print"]
DATE = re.compile(r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) (\d{1,2} \w+ \d{4})")


def letter_text(pdf) -> str:
    return plain(" ".join(page.extract_text() for page in pdf.pages[:3]))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_label_is_where_the_letter_says(make_content, read_pack, facts, fmt):
    pdf = read_pack(make_content(format=fmt))
    said = re.search(r"Freepost address label is on page (\d+)", letter_text(pdf))
    assert said, "the letter does not say where the label is"
    label_page = pdf.pages[int(said.group(1)) - 1]
    on_that_page = plain(label_page.extract_text())
    assert "How to send your answers back" in on_that_page and "Freepost LCR" in on_that_page
    # Large print's letter is two pages long: the label is on the front of the second sheet.
    assert said.group(1) == {"standard": "2", "large_print": "3"}[fmt]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "url",
    [
        "https://liverpoolcityregionalca.researchfeedback.net/s.asp?k=160710759907",
        "https://www.example-consultation-service.gov.uk/digital-strategy/paper-responses/survey.html?id=123&x=y",
    ],
)
def test_a_long_web_address_breaks_only_after_slash_dot_question_mark_or_equals(
    make_content, read_pack, facts, fmt, url
):
    content = make_content(format=fmt, consultation=replace(facts, online_survey_url=url))
    pdf = read_pack(content)
    lines = "\n".join(line["text"] for page in pdf.pages[:2] for line in page.extract_text_lines())
    pattern = "\n?".join(re.escape(ch) for ch in url)
    found = re.search(pattern, lines)
    assert found, "the address is not printed whole"
    printed = found.group(0)
    breaks = [i for i, ch in enumerate(printed) if ch == "\n"]
    for at in breaks:
        assert printed[at - 1] in URL_BREAK_AFTER, printed
    if fmt == "large_print":
        assert breaks, "a long address at 16 pt should need a break"


def test_an_on_time_pack_gives_the_closing_date_and_the_decision_month(make_content, read_pack):
    text = letter_text(read_pack(make_content(letter_date=date(2020, 12, 2))))
    assert "Please post your answers to reach us by Wednesday 13 January 2021." in text
    assert "for approval in February 2021" in text


def dates_asked_for(text: str) -> list[date]:
    asked = re.findall(r"reach us by (\w+ \d{1,2} \w+ \d{4})", text)
    return [datetime.strptime(day.split(" ", 1)[1], "%d %B %Y").date() for day in asked]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("letter_day", "late_until", "expected"),
    [
        # Closed, no late date: honest plain words, nothing asked for by a date.
        (date(2026, 11, 29), None, "closed on Wednesday 13 January 2021. Please still send your answers"),
        # Closed, late replies read until a later day: that day.
        (
            date(2021, 1, 20),
            date(2021, 1, 29),
            "but we will still read answers that reach us by Friday 29 January 2021",
        ),
        # Closed, and the late date has passed too: plain words again.
        (date(2021, 2, 5), date(2021, 1, 29), "Please still send your answers: we will pass them on"),
    ],
)
def test_a_late_pack_never_asks_for_a_date_in_the_past(
    make_content, read_pack, facts, fmt, letter_day, late_until, expected
):
    content = make_content(
        format=fmt, letter_date=letter_day, consultation=replace(facts, late_replies_until=late_until)
    )
    text = letter_text(read_pack(content))
    assert expected in text
    assert all(day >= letter_day for day in dates_asked_for(text)), text
    # "What happens next" does not promise a decision month already past.
    assert "for approval in February 2021" not in text or letter_day < date(2021, 2, 1)
    assert "Wednesday 13 January 2021" in text  # says honestly when it closed
