import pytest

from service.geo.postcodes import InvalidPostcode, local_authority_for, normalise_postcode, parse_postcode


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("l18jq", "L1 8JQ"),
        ("  L1  8JQ ", "L1 8JQ"),
        ("ch411ab", "CH41 1AB"),
        ("sw1a1aa", "SW1A 1AA"),
        ("wa8 7ql", "WA8 7QL"),
        ("EC1A1BB", "EC1A 1BB"),
    ],
)
def test_postcodes_are_normalised(typed, normalised):
    assert normalise_postcode(typed) == normalised


@pytest.mark.parametrize("typed", ["", "L1", "12345", "LL1 8JQ8", "Q1 1AA", "L1 8CJ", "not a postcode"])
def test_bad_postcodes_are_refused(typed):
    with pytest.raises(InvalidPostcode):
        normalise_postcode(typed)


@pytest.mark.parametrize(
    ("postcode", "authority"),
    [
        ("L1 8JQ", "Liverpool"),
        ("L18 1DG", "Liverpool"),
        ("L36 9YU", "Knowsley"),
        ("L20 3NJ", "Sefton"),
        ("PR8 1DB", "Sefton"),
        ("CH41 5AF", "Wirral"),
        ("WA7 2GW", "Halton"),
        ("WA8 7QL", "Halton"),
        ("WA10 1HJ", "St Helens"),
        ("L35 4PQ", "St Helens"),  # Rainhill: a sector of a Knowsley district
        ("L35 3SR", "Knowsley"),
        ("L24 4AA", "Halton"),  # Hale village
    ],
)
def test_city_region_authority_from_postcode(postcode, authority):
    assert local_authority_for(parse_postcode(postcode)) == authority


@pytest.mark.parametrize("postcode", ["SW1A 1AA", "M1 1AE", "CH64 3RU", "L39 2AA", "WA5 1AA"])
def test_postcodes_outside_the_city_region(postcode):
    assert local_authority_for(parse_postcode(postcode)) is None
