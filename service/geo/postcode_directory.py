"""The local authority of a postcode, exact, from the ONS Postcode Directory (ONSPD), within a consultation's area.

A consultation that serves an area names its local authorities (ONS code and the name shown) in its
consultation.yaml and ships an extract of the directory beside it (`postcode_file`, made by
`python -m service.geo.make_directory <slug>`): every postcode of every postcode district that has a postcode in
one of those authorities. Within those districts a postcode is either in the directory, with the authority it is
in, or unknown to it (a mistyped postcode, or a new build newer than the release): unknown ones are accepted and
sent to the address check, never refused. Postcodes of other districts are outside the area; the extract does
not say whether they exist. A consultation that names no area has no extract, and no postcode has an authority.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path

from service.questionnaires import definition

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
    NOT_COVERED = "not covered"  # another district: outside the area, existence not known here


@dataclass(frozen=True)
class Place:
    found: Found
    local_authority: str | None  # the name of one of the area's authorities, or None: outside the area or unknown

    @property
    def unknown(self) -> bool:
        return self.found is Found.UNKNOWN


@dataclass(frozen=True)
class Area:
    """The local authorities a consultation serves and the directory extract that places postcodes in them."""

    authorities: Mapping[str, str] = field(default_factory=dict)  # ONS code -> name shown: "E08000012" -> "Liverpool"
    postcode_file: str = ""  # the extract, relative to pdf_templates/; "" when the consultation names no area


@dataclass(frozen=True)
class Directory:
    release: str
    authorities: frozenset[str]  # the ONS codes the extract was made for
    districts: frozenset[str]
    authority_codes: dict[str, str]  # "L1 8JQ" -> "E08000012" ("" for none)


def extract_path(postcode_file: str) -> Path:
    """Where an extract named in a consultation.yaml is (read at call time: tests move pdf_templates/)."""
    return definition.PDF_TEMPLATES / postcode_file


@cache
def read_directory(path: Path) -> Directory:
    """Read one extract made by make_directory."""
    release = ""
    authorities: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    codes: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            first, second, *rest = line.rstrip("\n").split(",")
            if first == "release":
                release = second
            elif first == "authorities":
                authorities = frozenset(second.split())
            elif first == "districts":
                districts = frozenset(second.split())
            else:
                for unit in rest[0].split():
                    codes[f"{first}{unit}"] = second
    return Directory(release, authorities, districts, codes)


def directory_of(area: Area) -> Directory | None:
    """The extract of the area's postcodes, or None for a consultation that names no area."""
    return read_directory(extract_path(area.postcode_file)) if area.postcode_file else None


def release_of(area: Area) -> str:
    """The ONSPD release the area's extract was made from ("November 2025"), or "" without one."""
    found = directory_of(area)
    return found.release if found else ""


def place_of(postcode, area: Area) -> Place:
    """Where a parsed postcode (service.geo.postcodes.Postcode) is, by the area's directory extract."""
    found = directory_of(area)
    if found is None or postcode.outward not in found.districts:
        return Place(Found.NOT_COVERED, None)
    code = found.authority_codes.get(str(postcode))
    if code is None:
        return Place(Found.UNKNOWN, None)
    return Place(Found.KNOWN, area.authorities.get(code))


def local_authority_for(postcode, area: Area) -> str | None:
    """The area's authority a parsed postcode is in, or None (outside the area, or unknown)."""
    return place_of(postcode, area).local_authority


def unknown_postcode_note(postcode, area: Area) -> str:
    """What a request whose postcode the directory does not know says about it (never refused: new builds)."""
    return (
        f"Postcode {postcode} is not in the {SOURCE} ({release_of(area)}): a new build, or mistyped? Check the address."
    )
