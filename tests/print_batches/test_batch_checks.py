"""The benchmark's check of a batch file (benchmarks/batch_checks.py) passes a file as built and finds the
damage a print house would notice: a page missing, packs out of order, a pack not the one the database names,
a font left out of the file."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from benchmarks.batch_checks import BatchCheck, check_batch_file, spread
from service import storage
from service.dao.printing import batch_manifest_rows
from service.extensions import db
from service.print_batches.builder import batch_file_key
from service.reference import new_reference
from tests.factories import make_consultation
from tests.print_batches.test_batch_files import built_batch

COVER = 2  # pages before the first pack
PACK = 8  # pages of each standard pack


def _checked(batch_id: int, pdf: bytes, tmp_path: Path) -> BatchCheck:
    path = tmp_path / "batch.pdf"
    path.write_bytes(pdf)
    return check_batch_file(path, batch_id)


def _reordered(pdf: bytes, order: Callable[[list[int]], list[int]]) -> bytes:
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for index in order(list(range(len(reader.pages)))):
        writer.add_page(reader.pages[index])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_batch_file_as_built_passes(app_ctx, file_store, tmp_path):
    batch_id, pdf = built_batch(make_consultation())
    check = check_batch_file(storage.path_for(batch_file_key(batch_id)), batch_id)
    assert check.problems == []
    assert (check.packs, check.pages_expected, check.pages_found) == (4, COVER + 4 * PACK, COVER + 4 * PACK)
    assert check.pages_with_reference == check.pack_pages == 4 * PACK
    assert check.barcodes_read == check.barcode_pages == 4 * PACK  # a batch this small: every pack's barcodes
    assert len(check.fonts) >= 2
    # Written again by another PDF library, the same pages still pass: the check reads pages, not bytes.
    assert _checked(batch_id, _reordered(pdf, lambda pages: pages), tmp_path).problems == []


def test_a_missing_page_is_found(app_ctx, file_store, tmp_path):
    batch_id, pdf = built_batch(make_consultation())
    missing = COVER + PACK + 4  # the second pack's fifth page
    check = _checked(batch_id, _reordered(pdf, lambda pages: [p for p in pages if p != missing]), tmp_path)
    assert check.pages_found == COVER + 4 * PACK - 1
    assert f"{COVER + 4 * PACK - 1} pages in the file, not {COVER + 4 * PACK}" in check.problems[0]
    # From the gap on, every page is one out: the second pack's last four and the two packs after it.
    assert any(p.startswith(f"{4 + 2 * PACK} of {4 * PACK} pack pages lack") for p in check.problems), check.problems
    assert any("barcodes do not read" in p for p in check.problems)


def test_two_packs_swapped_are_found(app_ctx, file_store, tmp_path):
    batch_id, pdf = built_batch(make_consultation())

    def swapped(pages: list[int]) -> list[int]:
        first, second = pages[COVER : COVER + PACK], pages[COVER + PACK : COVER + 2 * PACK]
        return pages[:COVER] + second + first + pages[COVER + 2 * PACK :]

    check = _checked(batch_id, _reordered(pdf, swapped), tmp_path)
    assert check.pages_found == check.pages_expected  # every page is there, in the wrong place
    assert check.pages_with_reference == 2 * PACK and check.barcodes_read == 2 * PACK
    assert any(p.startswith(f"{2 * PACK} of {4 * PACK} pack pages lack") for p in check.problems)
    assert any(p.startswith(f"{2 * PACK} of {4 * PACK} sampled pages' barcodes") for p in check.problems)


def test_a_pack_the_database_names_differently_is_found(app_ctx, file_store, tmp_path):
    batch_id, pdf = built_batch(make_consultation())
    _, pack = batch_manifest_rows(batch_id)[2]
    pack.reference = new_reference()  # the manifest says one pack, the file prints another
    db.session.commit()
    check = _checked(batch_id, pdf, tmp_path)
    assert check.pages_with_reference == 3 * PACK and check.barcodes_read == 3 * PACK
    assert f"page {COVER + 2 * PACK + 1} (pack 3, {pack.reference[:3]} " in check.problems[0]


def test_a_font_left_out_of_the_file_is_found(app_ctx, file_store, tmp_path):
    batch_id, pdf = built_batch(make_consultation())
    blank = io.BytesIO()
    canvas = Canvas(blank)  # Helvetica, one of the 14 a printer is trusted to have: not embedded
    canvas.drawString(72, 400, "Back of the cover sheet: intentionally blank.")
    canvas.showPage()
    canvas.save()
    reader, back = PdfReader(io.BytesIO(pdf)), PdfReader(blank).pages[0]
    writer = PdfWriter()
    for index, page in enumerate(reader.pages):
        writer.add_page(back if index == 1 else page)
    out = io.BytesIO()
    writer.write(out)
    check = _checked(batch_id, out.getvalue(), tmp_path)
    assert check.pages_found == check.pages_expected and check.pages_with_reference == check.pack_pages
    assert check.problems == [
        "fonts: Helvetica is one of the 14 standard fonts",
        "fonts: Helvetica is not embedded",
        "fonts: Helvetica is embedded whole, not a subset",
    ]


@pytest.mark.parametrize(
    ("count", "first_ones"),
    [(4, [0, 1, 2, 3]), (27, list(range(27))), (10_000, [0, 385, 769, 1154])],
)
def test_barcodes_are_read_on_a_spread_of_packs_from_the_first_to_the_last(count, first_ones):
    chosen = spread(count)
    assert chosen[: len(first_ones)] == first_ones and chosen[-1] == count - 1
    assert len(chosen) == min(count, 27) == len(set(chosen))
