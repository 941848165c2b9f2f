import pytest

from service.geo.phones import InvalidPhone, display_uk_phone, normalise_uk_phone


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0151 330 1249", "+441513301249"),
        ("07911 123456", "+447911123456"),
        ("+44 (0)151 330 1249", "+441513301249"),
        ("01513301249", "+441513301249"),
    ],
)
def test_uk_numbers_are_stored_in_e164(typed, e164):
    assert normalise_uk_phone(typed) == e164


@pytest.mark.parametrize("typed", ["12345", "0151 330", "+1 415 555 2671", "phone me", "0000 000 0000"])
def test_other_numbers_are_refused(typed):
    with pytest.raises(InvalidPhone):
        normalise_uk_phone(typed)


def test_display_in_national_format():
    assert display_uk_phone("+441513301249") == "0151 330 1249"
