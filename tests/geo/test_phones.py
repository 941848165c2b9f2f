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


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # Ofcom's drama ranges, which phonenumbers judges differently, are treated alike: accepted.
        ("07700 900123", "+447700900123"),
        ("0151 496 0000", "+441514960000"),
        ("020 7946 0999", "+442079460999"),
        ("01632 960123", "+441632960123"),
    ],
)
def test_drama_numbers_are_treated_alike(typed, stored):
    assert normalise_uk_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("0151 330 1249 ext 2", "+441513301249;ext=2", "0151 330 1249 ext. 2"),
        ("0151 330 1249 x 204", "+441513301249;ext=204", "0151 330 1249 ext. 204"),
        ("+44 151 330 1249 extension 17", "+441513301249;ext=17", "0151 330 1249 ext. 17"),
    ],
)
def test_an_extension_is_kept_and_shown(typed, stored, shown):
    assert normalise_uk_phone(typed) == stored
    assert display_uk_phone(stored) == shown


@pytest.mark.parametrize("typed", ["07700 9001234", "0151 496 00001", "0151 330 1249 ext ٢"])
def test_near_misses_are_refused(typed):
    with pytest.raises(InvalidPhone):
        normalise_uk_phone(typed)
