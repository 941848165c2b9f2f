"""Made-up callers: distinct names, street addresses and valid city-region postcodes, reproducible by seed."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FIRST_NAMES = (  # noqa: SIM905 (a list of words reads better as words)
    "Ada Alan Amira Bethan Chidi Ciarán Dafydd Deepa Eilidh Emeka Fatima Grace Hamza Ioana Jack Jamal "
    "Joanne Kai Kwame Lena Liam Łukasz Margaret Marek Mei Mohammed Niamh Nguyễn Oliver Olu Patrick Priya "
    "Rhys Ruth Sadia Siân Sofia Tariq Teresa Tomás Una Vikram Wen Yusuf Zoë Zainab"
).split()
SURNAMES = (  # noqa: SIM905 (a list of words reads better as words)
    "Ahmed Ali Brown Byrne Campbell Carter Chen Clarke Davies Doherty Edwards Evans Flanagan Green Hall "
    "Hughes Jones Kelly Khan Kowalski Lee Lewis Mahmood McCarthy Molloy Murphy Nguyen Nowak O'Brien "
    "O'Neill Okafor Patel Price Quinn Roberts Robinson Shah Smith Taylor Thomas Walsh Ward White Williams "
    "Wilson Wright Yilmaz"
).split()
STREETS = (  # noqa: SIM905 (a list of words reads better as words)
    "Hope Street, Mather Avenue, Smithdown Road, Allerton Road, Lark Lane, Bold Street, Rodney Street, "
    "Church Road, Queens Drive, Menlove Avenue, Park Road, Aigburth Road, County Road, Walton Vale, "
    "Rice Lane, Borough Road, Grange Road, Lord Street, Duke Street, Prescot Road, Knowsley Lane, "
    "Ormskirk Road, Derby Road"
).split(", ")
TOWNS = {
    "L": "Liverpool",
    "CH": "Wirral",
    "PR": "Southport",
    "WA": "St Helens",
    "WN": "Wigan",
}
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's last two may use


@dataclass(frozen=True)
class Person:
    name: str
    house: str
    street: str
    town: str
    postcode: str
    phone: str

    @property
    def address_line_1(self) -> str:
        return f"{self.house} {self.street}"


@cache
def _districts() -> tuple[str, ...]:
    path = Path(__file__).resolve().parent.parent / "service" / "geo" / "city_region_postcodes.csv"
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    prefixes = [row["prefix"] for row in csv.DictReader(rows)]
    return tuple(p for p in prefixes if " " not in p)  # districts, not sectors


def person(rng: random.Random, n: int) -> Person:
    """A made-up caller; `n` makes the name/address pair distinct for the first ~2 million."""
    district = rng.choice(_districts())
    area = district.rstrip("0123456789")
    postcode = f"{district} {rng.randrange(10)}{rng.choice(_UNIT_LETTERS)}{rng.choice(_UNIT_LETTERS)}"
    first = FIRST_NAMES[n % len(FIRST_NAMES)]
    surname = SURNAMES[(n // len(FIRST_NAMES)) % len(SURNAMES)]
    middle = chr(ord("A") + (n // (len(FIRST_NAMES) * len(SURNAMES))) % 26)
    return Person(
        name=f"{first} {middle}. {surname}",
        house=str(1 + n % 240),
        street=rng.choice(STREETS),
        town=TOWNS.get(area, "Liverpool"),
        postcode=postcode,
        phone=f"+441514960{n % 1000:03d}",  # Ofcom's drama range for Liverpool: never a real line
    )


def people(count: int, seed: int = 1, start: int = 0) -> list[Person]:
    rng = random.Random(seed)
    return [person(rng, start + i) for i in range(count)]
