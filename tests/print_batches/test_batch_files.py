"""Print batch files a print house can trust: a cover sheet that fits and adds up, a manifest safe to open in a
spreadsheet, and a distinct name for every font subset in the PDF."""

from __future__ import annotations

import csv
import io

import pdfplumber
from pypdf import PdfReader

from service import storage
from service.extensions import db
from service.models import Caller, PaperRequest
from service.print_batches.builder import batch_file_key, build_batch_file
from service.print_batches.manifest import manifest_csv
from tests.factories import make_consultation
from tests.packs.glyphs import embedded_fonts
from tests.packs.pdf_rules import PRINTABLE, ink, plain
from tests.print_batches.test_print_batches import ready_requests
from workers.jobs import print_run

LONG_TITLE = (
    "Draft Digital Strategy and Action Plan for the Liverpool City Region Combined Authority and the Local "
    "Enterprise Partnership 2021-2023, with the Digital Inclusion, Connectivity and Skills Annexes"
)


def built_batch(consultation, chunk_packs: int = 200) -> tuple[int, bytes]:
    ready_requests(consultation)
    (batch_id,) = print_run()
    build_batch_file(batch_id, chunk_packs=chunk_packs)
    return batch_id, storage.path_for(batch_file_key(batch_id)).read_bytes()


def test_the_cover_sheet_fits_and_adds_up(app_ctx, file_store):
    batch_id, pdf = built_batch(make_consultation(title=LONG_TITLE))
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        cover = document.pages[0]
        assert [obj for obj in ink(cover) if not PRINTABLE.holds(obj)] == []
        text = plain(cover.extract_text())
    assert f"Batch {batch_id}, made" in text
    assert plain(LONG_TITLE) in text
    assert "Standard print" in text and "Packs 4" in text
    assert f"Sheets {pages // 2} ({pages} pages, with this cover sheet)" in text
    assert "each pack starts on a new sheet" in text


def test_the_manifest_is_safe_to_open_in_a_spreadsheet(app_ctx):
    consultation = make_consultation()
    requests = ready_requests(consultation)
    (batch_id,) = print_run()
    # Names from before intake checked them, and worse, straight into the rows.
    hostile = ['=HYPERLINK("http://evil.example","Click")', "+44 Smith", "-Dash\x1b Price", "@SUM(1)\x07"]
    for request, name in zip(requests, hostile, strict=True):
        db.session.get(Caller, db.session.get(PaperRequest, request.id).caller_id).name = name
    db.session.commit()
    text = manifest_csv(batch_id)
    assert "\x1b" not in text and "\x07" not in text
    names = {row["name"] for row in csv.DictReader(io.StringIO(text))}
    assert names == {'\'=HYPERLINK("http://evil.example","Click")', "'+44 Smith", "'-Dash Price", "'@SUM(1)"}


def test_every_font_subset_in_a_batch_has_a_name_of_its_own(app_ctx, file_store):
    _, pdf = built_batch(make_consultation(), chunk_packs=1)  # cover sheet and four chunks: five documents
    fonts = embedded_fonts(pdf)
    names = [str(font["/BaseFont"]) for font in fonts]
    assert len(fonts) >= 10  # regular and bold in each part
    assert len(set(names)) == len(names), sorted(names)
    for font in fonts:
        assert str(font["/FontDescriptor"].get_object()["/FontName"]) == str(font["/BaseFont"])
