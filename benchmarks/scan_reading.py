"""Section 8 of `make bench`: scanned returns read back against the truth, beside a fixed-threshold reader.

Packs are filled in by seeded respondents and printed and scanned in software (service/scans/synthetic.py);
making them is not timed. Reading is timed as the intake reads: decode, identify, align, read every box, in
a pool of two processes (two cores). The fixed-threshold reader scores the same boxes on the same aligned pages.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache

from service.packs.content import ConsultationFacts, PackContent, PackFormat
from service.questionnaires.definition import load_consultation_facts
from service.scans.synthetic import blank_pack
from service.scans.trial import SyntheticScan, Tally, count, make_scans, read_scanned

PROCESSES = 2
SEED_STEP = 10_000  # pack n at mixed resolutions has seed S + n, at 200 dpi S + SEED_STEP + n
LAST_SEED = 9_999_999  # a pack's seed is also its reference number (seven digits)


@dataclass
class ScanBench:
    all_dpi: Tally
    at_200: Tally
    pages_per_second: float
    single_page_seconds: float


def _content(n: int, fmt: PackFormat) -> PackContent:
    return blank_pack(f"71{n:07d}", fmt, _facts())


@cache
def _facts() -> ConsultationFacts:
    return ConsultationFacts.from_facts(load_consultation_facts("lcr-digital-strategy-2021"))


def _make(job: tuple[int, str, int | None]) -> tuple[PackContent, list[SyntheticScan]]:
    n, fmt, dpi = job
    content = _content(n, fmt)
    return content, make_scans(content, seed=n, dpi=dpi)


def _read(job: tuple[SyntheticScan, PackContent]):
    scan, content = job
    return read_scanned(scan.data, content.consultation, content.format)


def seeds_text(packs: int, seed: int = 0) -> str:
    """The seeds (and reference numbers) of a run's packs, as the table names them."""
    return f"{seed + 1}-{seed + packs} and {seed + SEED_STEP + 1}-{seed + SEED_STEP + packs}"


def sizes_problem(packs: int, seed: int) -> str | None:
    """What is wrong with a run of `packs` packs from `seed`, if anything."""
    if not 0 < packs < SEED_STEP:
        return f"--scan-packs must be from 1 to {SEED_STEP - 1}"
    if not 0 <= seed <= LAST_SEED - SEED_STEP - packs:
        return f"--scan-seed must be from 0 to {LAST_SEED - SEED_STEP - packs} with {packs} packs"
    return None


def run(packs: int, say, seed: int = 0) -> ScanBench:
    """Make `packs` filled-in packs (a third large print) at mixed resolutions and as many again at 200 dpi; `seed`
    moves every pack's seed, so a run can use respondents and scans the reader was never tuned on."""
    problem = sizes_problem(packs, seed)
    if problem:
        raise ValueError(problem)
    jobs = [(seed + n, "large_print" if n % 3 == 0 else "standard", None) for n in range(1, packs + 1)]
    jobs += [(seed + SEED_STEP + n, "large_print" if n % 3 == 0 else "standard", 200) for n in range(1, packs + 1)]
    say(f"8 scanned returns: making {len(jobs)} filled-in packs, printed and scanned in software (not timed)")
    with ProcessPoolExecutor(PROCESSES) as pool:
        made = list(pool.map(_make, jobs))
    work = [(scan, content) for content, scans in made for scan in scans]
    fixed_200 = {id(scan) for content, scans in made[packs:] for scan in scans}
    say(f"8 scanned returns: reading {len(work)} pages in {PROCESSES} processes")
    with ProcessPoolExecutor(PROCESSES) as pool:
        list(pool.map(_read, work[: PROCESSES * 2]))  # start-up and imports left out of the timing
        started = time.perf_counter()
        results = list(pool.map(_read, work, chunksize=4))
        wall = time.perf_counter() - started
    all_dpi, at_200 = Tally(), Tally()
    for (scan, _), result in zip(work, results, strict=True):
        tally = count(scan, result)
        (at_200 if id(scan) in fixed_200 else all_dpi).add(tally)
    single = sum(r.seconds for r in results) / len(results)
    return ScanBench(all_dpi, at_200, len(work) / wall, single)
