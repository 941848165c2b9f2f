"""Counting in words: one helper, so no screen says "1 questions" or "7 question(s)"."""

from __future__ import annotations

import pytest

from service.words import plural


@pytest.mark.parametrize(
    ("count", "noun", "many", "expected"),
    [
        (1, "question", None, "1 question"),
        (7, "question", None, "7 questions"),
        (0, "request", None, "0 requests"),
        (1, "second", None, "1 second"),
        (2, "second", None, "2 seconds"),
        (1, "person", None, "1 person"),
        (3, "person", None, "3 people"),
        (2, "batch", None, "2 batches"),
        (1, "alternative format to send", "alternative formats to send", "1 alternative format to send"),
        (4, "alternative format to send", "alternative formats to send", "4 alternative formats to send"),
        (2, "copy", None, "2 copies"),
        (12000, "pack", None, "12,000 packs"),
    ],
)
def test_plural(count, noun, many, expected):
    assert plural(count, noun, many) == expected


def test_the_word_alone_for_sentences_that_place_the_number_themselves():
    assert plural(1, "reference", number=False) == "reference" and plural(3, "reference", number=False) == "references"
