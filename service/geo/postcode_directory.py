"""The local authority of a postcode, exact, from the ONS Postcode Directory (ONSPD).

The service ships an extract (`onspd_city_region.txt`, made by `python -m service.geo.make_directory`): every
postcode of every postcode district that has a postcode in the city region. Within those districts a postcode
is either in the directory, with the authority it is in, or unknown to it (a mistyped postcode, or a new
build newer than the release): unknown ones are accepted and sent to the address check, never refused.
Postcodes of other districts are outside the city region; the extract does not say whether they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

DIRECTORY_FILE = Path(__file__).with_name("onspd_city_region.txt")
# The ONS codes of the six authorities (local authority districts), and their names as the service shows them.
CITY_REGION_CODES = {
    "E06000006": "Halton",
    "E08000011": "Knowsley",
    "E08000012": "Liverpool",
    "E08000013": "St Helens",
    "E08000014": "Sefton",
    "E08000015": "Wirral",
}
CITY_REGION_AUTHORITIES = tuple(sorted(CITY_REGION_CODES.values()))
SOURCE = "ONS Postcode Directory"
# The attribution the ONS asks for with the directory (Open Government Licence v3.0).
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2025. "
    "Contains Royal Mail data © Royal Mail copyright and database right 2025. "
    "Contains GeoPlace data © Local Government Information House Limited copyright and database right 2025."
)
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


class Found(Enum):
    KNOWN = "known"  # in the directory
    UNKNOWN = "unknown"  # in a district the extract covers, but not in the directory
    NOT_COVERED = "not covered"  # another district: outside the city region, existence not known here


@dataclass(frozen=True)
class Place:
    found: Found
    local_authority: str | None  # one of CITY_REGION_AUTHORITIES, or None: outside the city region or unknown

    @property
    def unknown(self) -> bool:
        return self.found is Found.UNKNOWN


@dataclass(frozen=True)
class Directory:
    release: str
    districts: frozenset[str]
    authority_codes: dict[str, str]  # "L1 8JQ" -> "E08000012" ("" for none)


@cache
def directory() -> Directory:
    release = ""
    districts: frozenset[str] = frozenset()
    codes: dict[str, str] = {}
    with DIRECTORY_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            first, second, *rest = line.rstrip("\n").split(",")
            if first == "release":
                release = second
            elif first == "districts":
                districts = frozenset(second.split())
            else:
                for unit in rest[0].split():
                    codes[f"{first}{unit}"] = second
    return Directory(release, districts, codes)


def release() -> str:
    """The ONSPD release the extract was made from ("November 2025")."""
    return directory().release


def place_of(postcode) -> Place:
    """Where a parsed postcode (service.geo.postcodes.Postcode) is, by the directory."""
    found = directory()
    if postcode.outward not in found.districts:
        return Place(Found.NOT_COVERED, None)
    code = found.authority_codes.get(str(postcode))
    if code is None:
        return Place(Found.UNKNOWN, None)
    return Place(Found.KNOWN, CITY_REGION_CODES.get(code))


def local_authority_for(postcode) -> str | None:
    """The city-region authority a parsed postcode is in, or None (outside the city region, or unknown)."""
    return place_of(postcode).local_authority


def unknown_postcode_note(postcode) -> str:
    """What a request whose postcode the directory does not know says about it (never refused: new builds)."""
    return f"Postcode {postcode} is not in the {SOURCE} ({release()}): a new build, or mistyped? Check the address."
