import pytest

from service.geo.postcodes import InvalidPostcode, normalise_postcode


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
