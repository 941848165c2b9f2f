"""UK phone numbers, validated with `phonenumbers` and stored in E.164."""

import phonenumbers


class InvalidPhone(ValueError):
    """Not a UK phone number."""


def normalise_uk_phone(text: str) -> str:
    """Return `text` as an E.164 UK number (`0151 330 1249` -> `+441513301249`), or raise InvalidPhone."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise InvalidPhone("Enter a UK phone number, like 0151 330 1249 or 07911 123456") from None
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) not in {
        "GB",
        "GG",
        "JE",
        "IM",
    }:
        raise InvalidPhone("Enter a UK phone number, like 0151 330 1249 or 07911 123456")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_uk_phone(e164: str) -> str:
    """Format a stored E.164 number the way people write it in the UK (`0151 330 1249`)."""
    number = phonenumbers.parse(e164, "GB")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
