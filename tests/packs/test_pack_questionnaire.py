"""The questionnaire follows its definition; no question is parted from its answer boxes."""

from __future__ import annotations

import pytest

from service.packs.render import pack_layout
from service.questionnaires.definition import load_questionnaire

from .pdf_rules import MM, plain

FORMATS = ["standard", "large_print"]


def _questionnaire_pages(pdf, facts, fmt):
    kinds = [page.kind for page in pack_layout(facts, fmt).pages]
    return [page for page, kind in zip(pdf.pages, kinds, strict=True) if kind == "questionnaire"]


def _question_numbers(page, numbers: set[str]) -> list[dict]:
    """Question numbers: bold words in the left gutter, at the content's left edge."""
    words = page.extract_words(extra_attrs=["fontname"])
    return [w for w in words if w["text"] in numbers and "Bold" in w["fontname"] and abs(w["x0"] - 15 * MM) < 0.5 * MM]


def _answer_boxes(page) -> list[dict]:
    """Tick boxes (squares) and writing boxes (wide rectangles); barcode bars are neither."""
    return [r for r in page.rects if r["width"] > 4 * MM and r["height"] > 4 * MM]


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_question_is_on_the_same_page_as_all_its_boxes(make_content, read_pack, facts, fmt):
    questionnaire = load_questionnaire(facts.questionnaire_file)
    by_number = {q.number: q for q in questionnaire.questions}
    pages = _questionnaire_pages(read_pack(make_content(format=fmt)), facts, fmt)
    seen = []
    for page in pages:
        numbers = sorted(_question_numbers(page, set(by_number)), key=lambda w: w["top"])
        boxes = _answer_boxes(page)
        if numbers:
            # No box above the first question on the page: it would belong to one on the page before.
            assert all(box["top"] > numbers[0]["top"] for box in boxes), f"page {page.page_number}"
        else:
            assert boxes == []
        for i, word in enumerate(numbers):
            below = numbers[i + 1]["top"] if i + 1 < len(numbers) else page.height
            mine = [box for box in boxes if word["top"] < box["top"] < below]
            question = by_number[word["text"]]
            expected = 1 if question.type == "text" else len(question.options)
            assert len(mine) == expected, f"question {question.number} on page {page.page_number}"
            seen.append(question.number)
    assert seen == [q.number for q in questionnaire.questions]


@pytest.mark.parametrize("fmt", FORMATS)
def test_tick_boxes_are_big_enough_for_a_pen_and_instructions_are_printed(make_content, read_pack, facts, fmt):
    pages = _questionnaire_pages(read_pack(make_content(format=fmt)), facts, fmt)
    squares = [r for p in pages for r in _answer_boxes(p) if abs(r["width"] - r["height"]) < 0.1]
    assert squares
    assert min(min(r["width"], r["height"]) for r in squares) >= 5 * MM
    text = " ".join(p.extract_text() for p in pages)
    assert "Tick one box" in text and "Tick all that apply" in text and "Write your answer in the box" in text


def test_large_print_reflows_rather_than_scales(make_content, read_pack, facts):
    counts = {}
    for fmt in FORMATS:
        counts[fmt] = len(_questionnaire_pages(read_pack(make_content(format=fmt)), facts, fmt))
    assert counts["large_print"] > counts["standard"]
    for fmt in FORMATS:
        for page in _questionnaire_pages(read_pack(make_content(format=fmt)), facts, fmt):
            assert page.width == pytest.approx(210 * MM, abs=0.5) and page.height == pytest.approx(297 * MM, abs=0.5)


def test_return_page_has_the_freepost_address_as_a_dashed_cut_out_label(make_content, read_pack, facts):
    pdf = read_pack(make_content())
    kinds = [page.kind for page in pack_layout(facts, "standard").pages]
    page = pdf.pages[kinds.index("return")]
    (label,) = [r for r in page.rects if r["width"] > 60 * MM and r["height"] > 30 * MM]
    assert label["dash"] and label["dash"][0], "the label's border is not dashed"
    inside = page.crop((label["x0"], label["top"], label["x1"], label["bottom"])).extract_text()
    assert plain(inside) == " ".join(facts.freepost_address)
    assert "You do not need a stamp" in plain(page.extract_text())
