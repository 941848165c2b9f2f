"""Check a built batch file as the tests check a pack, with Poppler and zbar, fast enough for 80,000 pages.

What the database says the batch holds (its packs in order, each with its reference and page count) against
what a print house would find in the file:

- pages: `pdfinfo` counts the cover sheet (two pages, one sheet) plus every pack's pages, as the batch row says;
- text: one `pdftotext -layout` of the whole file, read page by page as it streams: the cover sheet names the
  batch and adds up, and every pack page carries its pack's `Reference 482 913 5570` and `Page 3 of 8`;
- barcodes: every page of a spread of packs (first, last and evenly between; reading all 80,000 pages, at about
  a tenth of a second each, would take over two hours) drawn by `pdftoppm -r 200 -gray`, read by `zbarimg` as
  `4829135570-03`;
- fonts: `pdffonts` lists every font on every page, forms included: each embedded, a subset, none of the 14
  standard fonts a printer may substitute, and no two subsets under one name.

Run inside an app context (the batch's packs are read from its database).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from service.print_batches.cover_sheet import COVER_PAGES

BARCODE_PACKS = 27  # the first, the last and 25 evenly between: 216 pages of 8-page packs
BARCODE_DPI = 200  # as tests/packs/test_pack_pages.py reads them
EXAMPLES = 3  # of each kind of problem, so a file wrong throughout is reported in a few lines, not 80,000
TOOLS = ("pdfinfo", "pdftotext", "pdffonts", "pdftoppm", "zbarimg")
BASE_14 = frozenset(
    {
        *(f"Courier{s}" for s in ("", "-Bold", "-Oblique", "-BoldOblique")),
        *(f"Helvetica{s}" for s in ("", "-Bold", "-Oblique", "-BoldOblique")),
        *(f"Times-{s}" for s in ("Roman", "Bold", "Italic", "BoldItalic")),
        "Symbol",
        "ZapfDingbats",
    }
)
_ZBAR = "{http://zbar.sourceforge.net/2008/barcode}"
_REFERENCE = re.compile(r"Reference (\d{3} \d{3} \d{4})")
_PAGE_OF = re.compile(r"Page (\d+) of (\d+)")


@dataclass
class BatchCheck:
    """What the check found; `problems` is empty when the file passes."""

    packs: int = 0
    pages_expected: int = 0
    pages_found: int = 0
    pack_pages: int = 0
    pages_with_reference: int = 0  # pack pages with their own pack's reference and page number
    barcode_pages: int = 0  # pages of the sampled packs
    barcodes_read: int = 0  # of those, pages whose one barcode reads as their pack's reference and page
    fonts: list[str] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _PackPages:
    position: int  # 1-based, in the batch's order
    reference: str  # ten digits, as the barcode carries it
    printed_reference: str  # `482 913 5570`, as the page shows it
    first_page: int  # 1-based page of the batch file
    page_count: int


def check_batch_file(path: Path, batch_id: int) -> BatchCheck:
    """Check the batch file at `path` against batch `batch_id`'s packs in the database."""
    started = time.perf_counter()
    check = BatchCheck()
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        check.problems.append(f"cannot check: {', '.join(missing)} not installed (Debian's poppler-utils, zbar-tools)")
        return check
    packs = _packs_of(batch_id, check)
    _check_page_count(path, batch_id, packs, check)
    # pdftotext of every page is most of the time, on one core: the barcodes and fonts are read on the other
    # meanwhile (each part sets counts of its own; their problems are added in one order whichever ends first).
    with ThreadPoolExecutor(max_workers=1) as other_core:
        pictures = other_core.submit(lambda: _check_barcodes(path, packs, check) + _check_fonts(path, check))
        check.problems += _check_text(path, batch_id, packs, check)
        check.problems += pictures.result()
    check.seconds = time.perf_counter() - started
    return check


def _packs_of(batch_id: int, check: BatchCheck) -> list[_PackPages]:
    from service.dao.printing import batch_manifest_rows
    from service.reference import format_reference

    packs, page = [], COVER_PAGES + 1
    for position, (_, pack) in enumerate(batch_manifest_rows(batch_id), start=1):
        if not pack.page_count:
            check.problems.append(f"pack {position} ({pack.reference}) has no page count in the database")
        reference = pack.reference
        packs.append(_PackPages(position, reference, format_reference(reference), page, pack.page_count or 0))
        page += pack.page_count or 0
    check.packs = len(packs)
    check.pack_pages = page - COVER_PAGES - 1
    check.pages_expected = COVER_PAGES + check.pack_pages
    return packs


def _check_page_count(path: Path, batch_id: int, packs: list[_PackPages], check: BatchCheck) -> None:
    from service.dao.printing import load_batch

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
    found = re.search(r"^Pages:\s+(\d+)$", info.stdout, re.M)
    if info.returncode != 0 or not found:
        check.problems.append(f"pdfinfo cannot read the file: {info.stderr.strip()[:300]}")
        return
    check.pages_found = int(found[1])
    if check.pages_found != check.pages_expected:
        check.problems.append(
            f"{check.pages_found:,} pages in the file, not {check.pages_expected:,} (cover sheet {COVER_PAGES}, "
            f"{len(packs):,} packs of {check.pack_pages:,} pages)"
        )
    recorded = load_batch(batch_id).page_count
    if recorded != check.pages_found:
        check.problems.append(f"the batch row says {recorded:,} pages, the file has {check.pages_found:,}")


def _pages_of_text(path: Path) -> Iterator[str]:
    """Each page's text from one `pdftotext -layout` run, as it streams (80,000 pages are 250 MB of text)."""
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(
            ["pdftotext", "-layout", str(path), "-"], stdout=subprocess.PIPE, stderr=errors, text=True, errors="replace"
        ) as reading:
            assert reading.stdout is not None
            rest = ""
            while chunk := reading.stdout.read(1 << 20):
                *pages, rest = (rest + chunk).split("\f")
                yield from pages
        if reading.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"pdftotext exited {reading.returncode}: {errors.read().decode(errors='replace')[:300]}")


def _check_text(path: Path, batch_id: int, packs: list[_PackPages], check: BatchCheck) -> list[str]:
    """Every page's text: the cover sheet's, then each pack page's reference and page number."""
    problems: list[str] = []
    expected = iter([(pack, number) for pack in packs for number in range(1, pack.page_count + 1)])
    wrong: list[str] = []
    pages = 0
    try:
        for index, text in enumerate(_pages_of_text(path)):
            pages += 1
            if index < COVER_PAGES:
                if index == 0:
                    problems += _check_cover(text, batch_id, check)
                continue
            pack, number = next(expected, (None, 0))
            if pack is None:
                continue  # a page more than the database knows: the page count says so already
            if f"Reference {pack.printed_reference}" in text and f"Page {number} of {pack.page_count}" in text:
                check.pages_with_reference += 1
                continue
            if len(wrong) < EXAMPLES:
                found = [m[0] for m in (_REFERENCE.search(text), _PAGE_OF.search(text)) if m] or ["neither"]
                wrong.append(
                    f"page {index + 1:,} (pack {pack.position:,}, {pack.printed_reference}, page {number} of "
                    f"{pack.page_count}) shows {', '.join(found)}"
                )
    except RuntimeError as error:
        return [*problems, str(error)]
    if pages != check.pages_found:
        problems.append(f"pdftotext read {pages:,} pages, pdfinfo counts {check.pages_found:,}")
    if check.pages_with_reference != check.pack_pages:
        problems.append(
            f"{check.pack_pages - check.pages_with_reference:,} of {check.pack_pages:,} pack pages lack their "
            f"pack's reference or page number" + (f", e.g. {'; '.join(wrong)}" if wrong else "")
        )
    return problems


def _check_cover(text: str, batch_id: int, check: BatchCheck) -> list[str]:
    """The cover sheet names the batch and adds up (what test_the_cover_sheet_fits_and_adds_up reads)."""
    says = {
        f"Print batch {batch_id}": re.search(rf"Print batch {batch_id}\b", text) is not None,
        f"Packs {check.packs:,}": re.search(rf"Packs\s+{check.packs:,}\b", text) is not None,
        f"{check.pages_expected:,} pages": f"({check.pages_expected:,} pages, with this cover sheet)" in text,
    }
    unsaid = [what for what, said in says.items() if not said]
    return [f"the cover sheet does not say {', '.join(unsaid)}"] if unsaid else []


def spread(count: int, wanted: int = BARCODE_PACKS) -> list[int]:
    """Indexes of `wanted` of `count` items: the first, the last and evenly between (all of them if fewer)."""
    if count <= wanted:
        return list(range(count))
    return sorted({round(i * (count - 1) / (wanted - 1)) for i in range(wanted)})


def _check_barcodes(path: Path, packs: list[_PackPages], check: BatchCheck) -> list[str]:
    """Every page of a spread of packs: one barcode, reading as its pack's reference and its page."""
    wrong: list[str] = []
    for index in spread(len(packs)):
        pack = packs[index]
        found = _barcodes(path, pack.first_page, pack.page_count)
        check.barcode_pages += pack.page_count
        for number in range(1, pack.page_count + 1):
            symbols, wanted = found[number - 1] if number <= len(found) else [], f"{pack.reference}-{number:02d}"
            if symbols == [wanted]:
                check.barcodes_read += 1
            elif len(wrong) < EXAMPLES:
                wrong.append(
                    f"page {pack.first_page + number - 1:,} (pack {pack.position:,}, page {number}) reads "
                    f"{' and '.join(symbols) or 'nothing'}, not {wanted}"
                )
    if check.barcodes_read == check.barcode_pages:
        return []
    return [
        f"{check.barcode_pages - check.barcodes_read} of {check.barcode_pages} sampled pages' barcodes do not read "
        f"as their reference and page, e.g. {'; '.join(wrong)}"
    ]


def _barcodes(path: Path, first: int, count: int) -> list[list[str]]:
    """What zbarimg reads on each of `count` pages from page `first`, as a pack's test reads them."""
    with tempfile.TemporaryDirectory(prefix="batch-check-") as folder:
        # Greyscale PGM, not PNG as in the pack test: the same pixels, without compressing 30 MB a pack.
        args = ["pdftoppm", "-r", str(BARCODE_DPI), "-gray", "-f", str(first), "-l", str(first + count - 1)]
        subprocess.run([*args, str(path), f"{folder}/page"], capture_output=True, check=False)
        images = sorted(Path(folder).glob("page-*.pgm"))  # zero-padded page numbers: sorted is page order
        if not images:
            return []
        # One zbarimg for the pack: its XML names the image each symbol came from.
        read = subprocess.run(
            ["zbarimg", "--xml", "--quiet", "-Sdisable", "-Scode128.enable", *map(str, images)],
            capture_output=True,
            text=True,
            check=False,
        )
        by_image: dict[str, list[str]] = {str(image): [] for image in images}
        if read.stdout.strip():
            found = ElementTree.fromstring(read.stdout)  # noqa: S314 (zbarimg's report on our own file)
            for source in found.iter(f"{_ZBAR}source"):
                by_image[source.get("href", "")] = [data.text or "" for data in source.iter(f"{_ZBAR}data")]
        return [by_image[str(image)] for image in images]


def _check_fonts(path: Path, check: BatchCheck) -> list[str]:
    """Every font on every page (pdffonts looks inside forms too): embedded, subset, none standard, names apart."""
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=False)
    if listed.returncode != 0:
        return [f"pdffonts cannot read the file: {listed.stderr.strip()[:300]}"]
    bad: list[str] = []
    for line in listed.stdout.splitlines()[2:]:  # after the header and its rule
        # name, type and encoding (either may hold spaces), then emb sub uni and the object number and generation
        name, *_, embedded, subset, _unicode, _number, _generation = line.split()
        check.fonts.append(name)
        if name.split("+")[-1] in BASE_14:
            bad.append(f"{name} is one of the 14 standard fonts")
        if embedded != "yes":
            bad.append(f"{name} is not embedded")
        if subset != "yes":
            bad.append(f"{name} is embedded whole, not a subset")
    if not check.fonts:
        bad.append("pdffonts lists no fonts at all")
    shared = sorted(name for name, times in Counter(check.fonts).items() if times > 1)
    if shared:
        bad.append(f"two different subsets share a name: {', '.join(shared)}")
    return [f"fonts: {problem}" for problem in bad]
