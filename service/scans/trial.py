"""Run the reader over synthetic scans and count its results against the truth: for the accuracy test and
`make bench`. A fixed-threshold reader is measured on the same scans as the baseline."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import numpy as np

from service.packs.content import PackContent
from service.questionnaires.definition import load_questionnaire
from service.scans.identify import PageIdentity
from service.scans.images import PX_PER_MM, page_images
from service.scans.interpret import settle
from service.scans.marks import BoxState
from service.scans.read_page import PageOutcome, read_known_page, upright_page
from service.scans.synthetic import fill_in, print_and_scan, random_settings

DEBUG_DIR = __import__("os").environ.get("SCANS_DEBUG_DIR")
BASELINE_THRESHOLD = 128  # the plain reader: black below this grey level
BASELINE_TICKED_FROM = 0.10  # share of the box's inside that is black


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


def _baseline_ticked(aligned_pixels: np.ndarray, box) -> bool:
    # Everything the plain reader knows: a fixed black/white threshold and a share of black in the box.
    inset = 0.9
    y0, y1 = int((box.top_mm + inset) * PX_PER_MM), int((box.top_mm + box.height_mm - inset) * PX_PER_MM)
    x0, x1 = int((box.left_mm + inset) * PX_PER_MM), int((box.left_mm + box.width_mm - inset) * PX_PER_MM)
    patch = aligned_pixels[y0:y1, x0:x1]
    return bool(patch.size and (patch < BASELINE_THRESHOLD).mean() >= BASELINE_TICKED_FROM)


def run_pack(content: PackContent, seed: int, dpi: int | None = None) -> Tally:
    """Fill in one pack, print and scan each questionnaire page, read it back and count."""
    rng = random.Random(seed)
    questionnaire = load_questionnaire(content.consultation.questionnaire_file)
    types = {q.code: q.type for q in questionnaire.questions}
    tally = Tally()
    for page in fill_in(content, types, seed):
        settings = random_settings(rng, dpi)
        scanned = print_and_scan(page.pixels, settings, rng)
        started = time.perf_counter()
        (image,) = list(page_images(scanned))
        pixels, identity = upright_page(image)
        result = None
        if identity is not None:
            result = read_known_page(pixels, identity, content.consultation, content.format)
        tally.seconds += time.perf_counter() - started
        tally.pages += 1
        truth_identity = PageIdentity(content.reference, page.page_number, False)
        if identity is None or (identity.reference, identity.page_number) != (
            truth_identity.reference,
            truth_identity.page_number,
        ):
            continue
        tally.identified += 1
        if result is None or result.outcome != PageOutcome.READ:
            if DEBUG_DIR:
                print("not read", seed, page.page_number, settings, result.problem if result else "")
            continue
        tally.aligned += 1
        for read in settle(result.boxes):
            if not read.box.is_tick_box:
                continue
            key = (read.box.question_code, read.box.option_code)
            truth, kind = page.ticked[key], page.kinds[key]
            tally.boxes += 1
            if _baseline_ticked(result.aligned.pixels, read.box) != truth:
                tally.baseline_errors += 1
            if read.state == BoxState.UNSURE:
                tally.to_person += 1
                tally.unsure_by_kind[kind] = tally.unsure_by_kind.get(kind, 0) + 1
                continue
            tally.auto_accepted += 1
            if (read.state == BoxState.TICKED) != truth:
                if DEBUG_DIR:
                    import cv2

                    from service.scans.read_page import crop

                    cv2.imwrite(
                        f"{DEBUG_DIR}/err-{seed}-{page.page_number}-{key[0]}-{key[1]}-{kind}-{read.ink:.3f}-{settings.mode}-{settings.dpi}.png",
                        crop(result.aligned, [read.box], 6),
                    )
                tally.errors += 1
                tally.errors_by_kind[kind] = tally.errors_by_kind.get(kind, 0) + 1
    return tally
