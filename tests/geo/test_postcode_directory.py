"""The local authority comes from the ONS Postcode Directory, postcode by postcode, not from a district guess."""

from __future__ import annotations

import pytest

from service.geo.make_directory import build
from service.geo.postcode_directory import DIRECTORY_FILE, Found, local_authority_for, place_of, release
from service.geo.postcodes import parse_postcode


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
    assert local_authority_for(parse_postcode(postcode)) == authority
    assert place_of(parse_postcode(postcode)).found is Found.KNOWN


@pytest.mark.parametrize("postcode", ["CH64 3RU", "L39 2AA", "WA5 1AA", "PR8 3DH"])
def test_a_known_postcode_of_a_neighbouring_authority_is_outside_the_city_region(postcode):
    place = place_of(parse_postcode(postcode))
    assert (place.found, place.local_authority) == (Found.KNOWN, None)


@pytest.mark.parametrize("postcode", ["L1 9ZZ", "CH41 5AF", "WA8 0ZZ"])
def test_a_postcode_the_directory_does_not_know_is_unknown_not_guessed(postcode):
    place = place_of(parse_postcode(postcode))
    assert (place.found, place.local_authority) == (Found.UNKNOWN, None)


def test_a_postcode_far_from_the_city_region_is_outside_it():
    assert place_of(parse_postcode("SW1A 1AA")) == place_of(parse_postcode("M1 1AE"))
    assert place_of(parse_postcode("SW1A 1AA")).found is Found.NOT_COVERED


def test_the_release_and_the_licence_are_in_the_file():
    text = DIRECTORY_FILE.read_text(encoding="utf-8")
    assert release() == "November 2025"
    assert "Open Government Licence v.3.0" in text


def test_the_shipped_extract_is_exactly_what_the_directory_says():
    # The documented command, run again: the file in the repository is what the pinned directory makes.
    assert build() == DIRECTORY_FILE.read_text(encoding="utf-8")
