"""UK postcodes: validate and normalise (`l18jq` -> `L1 8JQ`). Where one is: service/geo/postcode_directory.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The full UK pattern (after removing spaces and upper-casing): outward code, then a digit and two letters.
_POSTCODE = re.compile(
    r"^(?P<outward>"
    r"[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"
    r")(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_SPECIAL = {"GIR0AA"}  # Girobank's historic postcode, still valid


class InvalidPostcode(ValueError):
    """Not a UK postcode; the message says so in plain words."""


@dataclass(frozen=True)
class Postcode:
    outward: str
    inward: str

    def __str__(self) -> str:
        return f"{self.outward} {self.inward}"

    @property
    def sector(self) -> str:
        """`L1 8JQ` -> `L1 8`."""
        return f"{self.outward} {self.inward[0]}"


def parse_postcode(text: str) -> Postcode:
    """Return the postcode in `text`, normalised, or raise InvalidPostcode."""
    compact = re.sub(r"\s+", "", text or "").upper()
    if not compact:
        raise InvalidPostcode("Enter a postcode")
    if compact in _SPECIAL:
        return Postcode(compact[:-3], compact[-3:])
    match = _POSTCODE.match(compact)
    if not match:
        raise InvalidPostcode("Enter a real UK postcode, like L1 8JQ")
    return Postcode(match["outward"], match["inward"])


def normalise_postcode(text: str) -> str:
    """Return `text` as a normalised postcode string, or raise InvalidPostcode."""
    return str(parse_postcode(text))
