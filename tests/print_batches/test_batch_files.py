"""Print batch files a print house can trust: a cover sheet that fits and adds up, a manifest safe to open in a
spreadsheet, and a distinct name for every font subset in the PDF."""

from __future__ import annotations

import csv
import io
import subprocess

import pdfplumber
from pypdf import PdfReader

from service import storage
from service.dao.printing import batch_manifest_rows
from service.extensions import db
from service.models import Caller, PaperRequest
from service.print_batches.builder import batch_file_key, build_batch_file
from service.print_batches.manifest import manifest_csv
from service.print_batches.stream_pdf import StreamingPdfWriter
from service.reference import format_reference
from tests.factories import make_consultation
from tests.packs.glyphs import embedded_fonts, printed_as_notdef
from tests.packs.pdf_rules import PRINTABLE, ink, plain
from tests.print_batches.test_print_batches import CALLERS, ready_requests
from workers.jobs import print_run

LONG_TITLE = (
    "Draft Digital Strategy and Action Plan for the Liverpool City Region Combined Authority and the Local "
    "Enterprise Partnership 2021-2023, with the Digital Inclusion, Connectivity and Skills Annexes"
)


def built_batch(consultation, chunk_packs: int = 200, callers=CALLERS) -> tuple[int, bytes]:
    ready_requests(consultation, callers)
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
    # Names whose letters are outside the fonts' fixed repertoire: those packs carry subsets of their own.
    callers = [*CALLERS, ("Zoë Nguyễn", "L8 1TH"), ("张伟", "L3 5TF")]
    _, pdf = built_batch(make_consultation(), chunk_packs=1, callers=callers)
    fonts = embedded_fonts(pdf)
    names = [str(font["/BaseFont"]) for font in fonts]
    assert len(set(names)) == len(names), sorted(names)
    for font in fonts:
        assert str(font["/FontDescriptor"].get_object()["/FontName"]) == str(font["/BaseFont"])
    programs = [font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data() for font in fonts]
    assert len(set(programs)) == len(programs)  # one name per subset, one subset per name
    # Written once for the batch, not once per pack: the shared regular and bold, and the two packs' own.
    assert len(fonts) <= 5
    assert printed_as_notdef(pdf) == []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "Dear Zoë Nguyễn," in text and "Dear 张伟," in text


def test_a_batch_copies_the_packs_as_rendered_and_is_the_same_bytes_every_time(app_ctx, file_store, monkeypatch):
    from service.print_batches import builder

    drawn = []
    draw = builder.render_pack
    monkeypatch.setattr(builder, "render_pack", lambda content: drawn.append(content.reference) or draw(content))
    batch_id, pdf = built_batch(make_consultation())
    assert drawn == []  # every pack had its stored PDF: none was drawn again
    packs = [pack for _, pack in batch_manifest_rows(batch_id)]
    pages = PdfReader(io.BytesIO(pdf)).pages
    for n, pack in enumerate(packs):  # each pack's pages are its stored render's, byte for byte
        stored = PdfReader(io.BytesIO(storage.path_for(pack.file_key).read_bytes())).pages
        for p, page in enumerate(stored):
            assert pages[2 + 8 * n + p].get_contents().get_data() == page.get_contents().get_data()
    # Poppler reads what pypdf reads: every page, each pack's reference on each of its pages.
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    pages_text = text.decode().split("\f")
    for n, pack in enumerate(packs):
        reference = format_reference(pack.reference)
        assert all(f"Reference {reference}" in pages_text[2 + 8 * n + p] for p in range(8))

    def written() -> bytes:
        out = io.BytesIO()
        writer = StreamingPdfWriter(out, title="Again")
        builder.copy_packs(writer, [pack.id for pack in packs], every=3)
        writer.close()
        return out.getvalue()

    first = written()
    assert written() == first  # the same inputs, the same bytes
    storage.path_for(packs[1].file_key).unlink()  # gone from the store (forgotten meanwhile): drawn for the batch
    assert written() == first and drawn == [packs[1].reference]
