"""The text's wording fits one plain GSM-7 message; only UK mobiles are texted."""

from __future__ import annotations

from datetime import date

import pytest

from service.consultations.loading import values_from_facts
from service.geo.phones import is_uk_mobile
from service.questionnaires.definition import load_consultation_facts
from service.texts.body import MESSAGE_LIMIT, gsm7_length, reference_text_body, text_sender_problem

SHIPPED = load_consultation_facts("lcr-digital-strategy-2021")


def test_the_shipped_consultations_text_is_one_gsm7_message_with_the_reference_and_address():
    body = reference_text_body("4829135570", SHIPPED["online_survey_url"], date(2021, 1, 13), SHIPPED["organisation"])
    assert body == (
        "Your survey reference is 482 913 5570. Respond online at "
        "https://liverpoolcityregionalca.researchfeedback.net/s.asp?k=160710759907 by 13 Jan 2021."
    )
    assert gsm7_length(body) == len(body) <= MESSAGE_LIMIT  # every character a plain GSM-7 one
    assert values_from_facts(SHIPPED)["text_sender"] == "LCRCA"


def test_a_short_organisation_is_named_and_the_longest_wording_that_fits_is_chosen():
    body = reference_text_body("4829135570", "https://example.org/s", date(2021, 1, 13), "Wirral Council")
    assert (
        body
        == "Wirral Council: your survey reference is 482 913 5570. Respond online at https://example.org/s by 13 Jan 2021."
    )


def test_characters_outside_gsm7_are_never_sent():
    # "ô" is not in GSM-7: the organisation's name is left out rather than the message turned into UCS-2.
    body = reference_text_body("4829135570", "https://example.org/s", date(2021, 1, 13), "Cyngor Sir Ynys Môn")
    assert body is not None and "Môn" not in body and gsm7_length(body) is not None
    assert reference_text_body("4829135570", "https://example.org/ünï", date(2021, 1, 13), "Council") is None
    assert reference_text_body("4829135570", "https://example.org/" + "a" * 140, date(2021, 1, 13), "x") is None


def test_extension_characters_count_twice():
    assert gsm7_length("a~b") == 4 and gsm7_length("€") == 2 and gsm7_length("a😀") is None


@pytest.mark.parametrize(
    ("number", "mobile"),
    [
        ("+447700900123", True),  # Ofcom's drama mobiles
        ("+447911123456", True),
        ("+441513301249", False),  # a Liverpool landline
        ("+441514960123", False),  # a drama landline
        ("+448001111111", False),  # freephone
        ("+447624123456", True),  # Isle of Man mobile
        ("+447911123456;ext=2", False),
        ("+33612345678", False),  # a French mobile: not a UK one
        ("", False),
        (None, False),
    ],
)
def test_only_uk_mobiles_can_take_a_text(number, mobile):
    assert is_uk_mobile(number) is mobile


@pytest.mark.parametrize(
    ("sender", "ok"),
    [("LCRCA", True), ("+447700900000", True), ("LCR CA 2021!", False), ("12345", False), ("ABCDEFGHIJKL", False)],
)
def test_text_senders_are_checked_when_the_consultation_is_loaded(sender, ok):
    assert (text_sender_problem(sender) is None) is ok
    facts = {**SHIPPED, "text_sender": sender}
    if ok:
        assert values_from_facts(facts)["text_sender"] == sender
    else:
        with pytest.raises(ValueError, match="text_sender"):
            values_from_facts(facts)
