"""Run the reader over synthetic scans and count its results against the truth: for the accuracy test and
`make bench`. A fixed-threshold reader is measured on the same scans as the baseline."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import numpy as np

from service.packs.content import ConsultationFacts, PackContent, PackFormat
from service.questionnaires.definition import load_questionnaire
from service.scans.images import PX_PER_MM, page_images
from service.scans.interpret import settle
from service.scans.marks import BoxState
from service.scans.read_page import PageOutcome, read_known_page, upright_page
from service.scans.synthetic import fill_in, print_and_scan, random_settings

BASELINE_THRESHOLD = 128  # the plain reader: black below this grey level
BASELINE_TICKED_FROM = 0.10  # share of the box's inside that is black


@dataclass(frozen=True)
class SyntheticScan:
    """One scanned page file and the truth about it."""

    reference: str
    page_number: int
    dpi: int
    data: bytes
    ticked: dict[tuple[str, str], bool]
    kinds: dict[tuple[str, str], str]


@dataclass(frozen=True)
class PageResult:
    """What the reader made of one scanned page (and what the fixed-threshold reader made of its boxes)."""

    identity: tuple[str, int] | None
    read: bool
    boxes: tuple[tuple[str, str, str], ...]  # (question, option, state) for each tick box
    baseline: tuple[bool, ...]  # the plain reader's "ticked" for the same boxes
    seconds: float


@dataclass
class Tally:
    pages: int = 0
    identified: int = 0
    aligned: int = 0
    boxes: int = 0
    auto_accepted: int = 0
    errors: int = 0
    to_person: int = 0
    baseline_errors: int = 0
    seconds: float = 0.0
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    unsure_by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        for name in ("pages", "identified", "aligned", "boxes", "auto_accepted", "errors", "to_person"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.baseline_errors += other.baseline_errors
        self.seconds += other.seconds
        for mine, theirs in ((self.errors_by_kind, other.errors_by_kind), (self.unsure_by_kind, other.unsure_by_kind)):
            for kind, n in theirs.items():
                mine[kind] = mine.get(kind, 0) + n

    @property
    def errors_per_10k(self) -> float:
        return 10_000 * self.errors / self.auto_accepted if self.auto_accepted else 0.0

    @property
    def baseline_errors_per_10k(self) -> float:
        return 10_000 * self.baseline_errors / self.boxes if self.boxes else 0.0


def make_scans(content: PackContent, seed: int, dpi: int | None = None) -> list[SyntheticScan]:
    """Fill in one pack with seeded marks and print and scan each questionnaire page."""
    rng = random.Random(seed)
    questionnaire = load_questionnaire(content.consultation.questionnaire_file)
    types = {q.code: q.type for q in questionnaire.questions}
    scans = []
    for page in fill_in(content, types, seed):
        settings = random_settings(rng, dpi)
        data = print_and_scan(page.pixels, settings, rng)
        scans.append(SyntheticScan(content.reference, page.page_number, settings.dpi, data, page.ticked, page.kinds))
    return scans


def _baseline_ticked(aligned_pixels: np.ndarray, box) -> bool:
    # Everything the plain reader knows: a fixed black/white threshold and a share of black in the box.
    inset = 0.9
    y0, y1 = int((box.top_mm + inset) * PX_PER_MM), int((box.top_mm + box.height_mm - inset) * PX_PER_MM)
    x0, x1 = int((box.left_mm + inset) * PX_PER_MM), int((box.left_mm + box.width_mm - inset) * PX_PER_MM)
    patch = aligned_pixels[y0:y1, x0:x1]
    return bool(patch.size and (patch < BASELINE_THRESHOLD).mean() >= BASELINE_TICKED_FROM)


def read_scanned(data: bytes, facts: ConsultationFacts, fmt: PackFormat) -> PageResult:
    """Read one scanned page file as the intake does (the pack's layout known once the page is identified)."""
    started = time.perf_counter()
    (image,) = list(page_images(data))
    pixels, identity = upright_page(image)
    if identity is None:
        return PageResult(None, False, (), (), time.perf_counter() - started)
    result = read_known_page(pixels, identity, facts, fmt)
    found = (identity.reference, identity.page_number)
    if result.outcome != PageOutcome.READ or result.aligned is None:
        return PageResult(found, False, (), (), time.perf_counter() - started)
    reads = [r for r in settle(result.boxes) if r.box.is_tick_box]
    seconds = time.perf_counter() - started
    boxes = tuple((r.box.question_code, r.box.option_code, r.state.value) for r in reads)
    baseline = tuple(_baseline_ticked(result.aligned.pixels, r.box) for r in reads)
    return PageResult(found, True, boxes, baseline, seconds)


def count(scan: SyntheticScan, result: PageResult) -> Tally:
    """Score one page's reading against its truth."""
    tally = Tally(pages=1, seconds=result.seconds)
    if result.identity != (scan.reference, scan.page_number):
        return tally
    tally.identified = 1
    if not result.read:
        return tally
    tally.aligned = 1
    for (question, option, state), baseline in zip(result.boxes, result.baseline, strict=True):
        truth, kind = scan.ticked[(question, option)], scan.kinds[(question, option)]
        tally.boxes += 1
        tally.baseline_errors += baseline != truth
        if state == BoxState.UNSURE:
            tally.to_person += 1
            tally.unsure_by_kind[kind] = tally.unsure_by_kind.get(kind, 0) + 1
            continue
        tally.auto_accepted += 1
        if (state == BoxState.TICKED) != truth:
            tally.errors += 1
            tally.errors_by_kind[kind] = tally.errors_by_kind.get(kind, 0) + 1
    return tally


def run_pack(content: PackContent, seed: int, dpi: int | None = None) -> Tally:
    """Fill in one pack, print and scan each questionnaire page, read it back and count."""
    tally = Tally()
    for scan in make_scans(content, seed, dpi):
        tally.add(count(scan, read_scanned(scan.data, content.consultation, content.format)))
    return tally
