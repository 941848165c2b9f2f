"""What a consultation.yaml may say beyond its facts: areas, draft, letter wording; wrong values refused at seed."""

from __future__ import annotations

import pytest
import yaml

from service.consultations.loading import values_from_facts
from service.packs.content import ConsultationFacts
from service.packs.letter_text import LetterText
from service.questionnaires import definition

SHIPPED = yaml.safe_load((definition.PDF_TEMPLATES / "lcr-digital-strategy-2021" / "consultation.yaml").read_text())


def plain(**changes) -> dict:
    """The shipped facts without anything optional: no areas, not a draft, no letter wording."""
    facts = {k: v for k, v in SHIPPED.items() if k not in ("areas", "area_name", "postcode_file", "draft", "letter")}
    return facts | changes


def test_a_plain_consultation_needs_no_area_draft_or_letter_wording():
    values = values_from_facts(plain())
    assert values["areas"] == [] and values["area_name"] == "the area"
    assert values["is_draft"] is False and values["letter_text"] == {}
    facts = ConsultationFacts.from_facts(plain())
    assert facts.draft is False and facts.letter == LetterText()


def test_the_shipped_consultation_is_a_draft_serving_the_six_authorities():
    values = values_from_facts(SHIPPED)
    assert values["areas"] == ["Halton", "Knowsley", "Liverpool", "Sefton", "St Helens", "Wirral"]
    assert values["area_name"] == "the city region" and values["is_draft"] is True


def test_the_shipped_consultation_names_its_authorities_by_ons_code_and_ships_their_extract():
    values = values_from_facts(SHIPPED)
    assert values["area_codes"] == {
        "E06000006": "Halton",
        "E08000011": "Knowsley",
        "E08000012": "Liverpool",
        "E08000014": "Sefton",
        "E08000013": "St Helens",
        "E08000015": "Wirral",
    }
    assert values["postcode_file"] == "lcr-digital-strategy-2021/postcodes.txt"
    assert values_from_facts(plain())["area_codes"] == {} and values_from_facts(plain())["postcode_file"] == ""


def test_only_reworded_sentences_are_kept():
    same_as_default = LetterText().how_to_take_part
    values = values_from_facts(
        plain(letter={"thank_you": "Thank  you,\n neighbour.", "how_to_take_part": same_as_default})
    )
    assert values["letter_text"] == {"thank_you": "Thank you, neighbour."}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"letter": {"greeting": "Hello"}}, "letter: unknown wording greeting"),
        ({"letter": {"thank_you": "  "}}, "letter: thank_you is empty"),
        ({"areas": "Wirral"}, "areas: a list of local authority names"),
        ({"areas": ["Wirral", "Wirral"]}, "areas: a local authority is named twice"),
        ({"areas": ["Wirral"]}, "areas: give Wirral its ONS local authority code"),
        ({"areas": [{"code": "Wirral", "name": "Wirral"}]}, "areas: give Wirral its ONS local authority code"),
        (
            {"areas": [{"code": "E08000015", "name": "Wirral"}, {"code": "E08000015", "name": "The Wirral"}]},
            "areas: the ONS code E08000015 is given twice",
        ),
        ({"areas": [{"code": "E08000015", "name": "Wirral"}]}, "postcode_file: the area's extract .* is missing"),
        (
            {
                "areas": [{"code": "E08000015", "name": "Wirral"}],
                "postcode_file": "lcr-digital-strategy-2021/postcodes.txt",
            },
            "postcode_file: .* was made for other authorities than areas names",
        ),
        (
            {"areas": SHIPPED["areas"], "postcode_file": "lcr-digital-strategy-2021/nowhere.txt"},
            "postcode_file: lcr-digital-strategy-2021/nowhere.txt is not in pdf_templates/",
        ),
        ({"postcode_file": "lcr-digital-strategy-2021/postcodes.txt"}, "postcode_file: name the local authorities"),
    ],
)
def test_seed_refuses_wording_and_areas_it_cannot_use(changes, message):
    with pytest.raises(ValueError, match=message):
        values_from_facts(plain(**changes))
