"""Reading a postcode out of what the speech recogniser heard."""

from __future__ import annotations

import pytest

from service.ivr.speech import clean_answer, confidence_of, postcode_from_speech


@pytest.mark.parametrize(
    ("heard", "postcode"),
    [
        ("L1 9BQ.", "L1 9BQ"),
        ("l19bq", "L1 9BQ"),
        ("el one nine bee queue", "L1 9BQ"),
        ("Lima one nine Bravo Quebec", "L1 9BQ"),
        ("C H 41 2 double X", "CH41 2XX"),
        ("WA8 seven Q L", "WA8 7QL"),
        ("L18 6HF", "L18 6HF"),
        ("somewhere near the park", None),
        ("", None),
        ("L1", None),
    ],
)
def test_postcode_from_speech(heard, postcode):
    assert postcode_from_speech(heard) == postcode


def test_answers_lose_the_recogniser_full_stop_and_fit_the_envelope():
    assert clean_answer("  Ada   Lovelace. ", 100) == "Ada Lovelace"
    assert clean_answer("x" * 80, 50) == "x" * 50


@pytest.mark.parametrize(("value", "confidence"), [("0.93", 0.93), ("", 0.0), (None, 0.0), ("high", 0.0), ("7", 0.0)])
def test_confidence(value, confidence):
    assert confidence_of(value) == confidence
