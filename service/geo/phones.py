"""UK phone numbers: validated one way everywhere, stored in E.164 with any extension after ";ext=".

A number is accepted when `phonenumbers.is_valid_number` says it is a real UK (or Crown dependency) number,
or when it is in one of Ofcom's ranges reserved for drama. phonenumbers accepts some of those ranges
(0151 496 0000) and refuses others (07700 900123); they are treated alike here, because demonstrations,
training calls and tests use them and no real caller has one.
"""

from __future__ import annotations

import phonenumbers

UK_REGIONS = {"GB", "GG", "JE", "IM"}
EXTENSION_SEPARATOR = ";ext="
EXTENSION_MAX_DIGITS = 6
# Ofcom's numbers for TV, radio and film, as the start of the national number (after +44): each range has
# 1,000 numbers of 10 digits.
DRAMA_PREFIXES = (
    "7700900",  # 07700 900000-900999
    "1134960",  # 0113 496 0xxx, and the same in the other big-city codes
    "1144960",
    "1154960",
    "1164960",
    "1174960",
    "1184960",
    "1214960",
    "1314960",
    "1414960",
    "1514960",
    "1614960",
    "1914980",  # 0191 498 0xxx
    "2079460",  # 020 7946 0xxx
    "2896496",  # 028 9649 6xxx
    "2920180",  # 029 2018 0xxx
    "1632960",  # 01632 960xxx (no area)
    "8081570",  # 08081 570xxx freephone
    "9098790",  # 0909 879 0xxx premium rate
    "3069990",  # 03069 990xxx UK-wide
)
PROBLEM = "Enter a UK phone number, like 0151 330 1249 or 07911 123456"


class InvalidPhone(ValueError):
    """Not a UK phone number."""


def is_drama_number(number: phonenumbers.PhoneNumber) -> bool:
    """Whether `number` is in a range Ofcom keeps for drama."""
    national = str(number.national_number)
    return number.country_code == 44 and len(national) == 10 and national.startswith(DRAMA_PREFIXES)


def is_uk_number(number: phonenumbers.PhoneNumber) -> bool:
    """The one rule for every screen and the phone menu: a real UK number, or a drama one."""
    if is_drama_number(number):
        return True
    return phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) in UK_REGIONS


def normalise_uk_phone(text: str) -> str:
    """Return `text` as E.164 (`0151 330 1249 ext 2` -> `+441513301249;ext=2`), or raise InvalidPhone."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise InvalidPhone(PROBLEM) from None
    if not is_uk_number(number):
        raise InvalidPhone(PROBLEM)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    extension = number.extension or ""
    if extension:
        if not (extension.isascii() and extension.isdigit()) or len(extension) > EXTENSION_MAX_DIGITS:
            raise InvalidPhone(f"Enter the extension as up to {EXTENSION_MAX_DIGITS} digits, like 0151 330 1249 ext 2")
        return f"{e164}{EXTENSION_SEPARATOR}{extension}"
    return e164


def without_extension(stored: str) -> str:
    """The E.164 number of a stored phone number, without its extension."""
    return stored.split(EXTENSION_SEPARATOR, 1)[0]


def display_uk_phone(stored: str) -> str:
    """Format a stored number the way people write it in the UK (`0151 330 1249`, `0151 330 1249 ext. 2`)."""
    e164, _, extension = stored.partition(EXTENSION_SEPARATOR)
    number = phonenumbers.parse(e164, "GB")
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return f"{national} ext. {extension}" if extension else national


MOBILE_DRAMA_PREFIX = "7700900"  # 07700 900xxx: Ofcom's drama mobiles, which phonenumbers does not type


def is_uk_mobile(stored: str | None) -> bool:
    """Whether a stored number is a UK mobile (phonenumbers' line type), so a text can reach it.

    Landlines, freephone, pagers and personal numbers (070) cannot take a text; a number with an
    extension is a switchboard's. Numbers phonenumbers types as "fixed line or mobile" are not taken.
    """
    if not stored or EXTENSION_SEPARATOR in stored:
        return False
    try:
        number = phonenumbers.parse(stored, "GB")
    except phonenumbers.NumberParseException:
        return False
    if number.country_code != 44:
        return False
    if str(number.national_number).startswith(MOBILE_DRAMA_PREFIX) and is_drama_number(number):
        return True
    return is_uk_number(number) and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def last_digits(stored: str, count: int = 3) -> str:
    """The last digits of a number (`456`), to name it without showing it."""
    return without_extension(stored)[-count:]
