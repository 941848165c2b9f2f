"""Made-up callers: distinct names, street addresses and valid postcodes in the benchmarked consultation's area,
reproducible by seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from benchmarks.environment import SOURCE_SLUG
from service.geo.areas import authorities_from_facts
from service.geo.postcode_directory import Area, directory_of
from service.questionnaires.definition import load_consultation_facts

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
def _postcodes() -> tuple[str, ...]:
    """Real postcodes in the area of the consultation the benchmarks copy (its extract of the ONS Postcode
    Directory): a made-up one would wait for an address check instead of being printed."""
    area = benchmark_area()
    found = directory_of(area)
    assert found is not None, f"{SOURCE_SLUG} names no area"
    return tuple(sorted(p for p, code in found.authority_codes.items() if code in area.authorities))


@cache
def benchmark_area() -> Area:
    """The area of the consultation the benchmarks copy, as its consultation.yaml names it."""
    facts = load_consultation_facts(SOURCE_SLUG)
    return Area(authorities_from_facts(facts), str(facts["postcode_file"]))


def person(rng: random.Random, n: int) -> Person:
    """A made-up caller; `n` makes the name/address pair distinct for the first ~2 million."""
    postcode = rng.choice(_postcodes())
    area = postcode.split(" ")[0].rstrip("0123456789")
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
