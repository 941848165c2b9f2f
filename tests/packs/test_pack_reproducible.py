"""The same pack renders the same bytes; many packs share one definition of each common page."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from service.packs.content import PackContent
from service.packs.render import draw_pack, new_canvas, pack_layout, render_pack

FORMATS = ["standard", "large_print"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_content_renders_byte_identical_pdfs(make_content, fmt):
    content = make_content(format=fmt)
    assert render_pack(content) == render_pack(content)


def test_another_process_renders_the_same_bytes(make_content):
    # Catches anything that depends on the process: hash seeds, object ids, clocks.
    script = (
        "import sys; from datetime import date;"
        "from service.packs.content import ConsultationFacts, PackContent;"
        "from service.packs.render import render_pack;"
        "from service.questionnaires.definition import load_consultation_facts;"
        "f = ConsultationFacts.from_facts(load_consultation_facts('lcr-digital-strategy-2021'));"
        "c = PackContent('4829135570', 'standard', 'Siân Jones', ('12 Hope Street', 'Liverpool', 'L1 9BQ'),"
        " date(2020, 12, 2), f);"
        "sys.stdout.buffer.write(render_pack(c))"
    )
    other = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True).stdout
    assert other == render_pack(make_content())


def test_different_packs_differ_and_dates_come_from_the_letter(make_content):
    one = render_pack(make_content())
    assert one != render_pack(make_content(reference="1234567890"))
    metadata = PdfReader(io.BytesIO(render_pack(make_content(letter_date=date(2021, 1, 4))))).metadata
    assert metadata["/CreationDate"].startswith("D:20210104")
    assert metadata["/ModDate"].startswith("D:20210104")
    assert "Siân" not in str(dict(metadata))  # no personal data in metadata


def _form_xobjects(reader: PdfReader) -> set:
    forms = set()
    for page in reader.pages:
        for ref in (page["/Resources"].get("/XObject") or {}).values():
            if ref.get_object().get("/Subtype") == "/Form":
                forms.add(ref.idnum)
    return forms


def test_packs_drawn_on_one_canvas_share_each_common_page(make_content, read_pack, facts):
    contents = [
        make_content(reference="4829135570"),
        make_content(reference="1234567890", recipient_name="Zoë Nguyễn"),
        make_content(reference="1234567890", recipient_name=None, address_lines=()),
    ]
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, date(2020, 12, 2))
    for content in contents:
        draw_pack(canvas, content)
    canvas.save()
    per_pack = pack_layout(facts, "standard").page_count
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    assert len(reader.pages) == 3 * per_pack
    assert len(_form_xobjects(reader)) == per_pack  # defined once, used by all three packs
    pages = read_pack(buffer.getvalue()).pages
    assert "Dear Zoë Nguyễn," in pages[per_pack].extract_text()
    assert "Dear resident," in pages[2 * per_pack].extract_text()
    assert f"Page 1 of {per_pack}" in pages[per_pack].extract_text()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"address_lines": ("L1 9BQ",)}, "address"),
        ({"address_lines": tuple(f"line {i}" for i in range(7))}, "address"),
        ({"recipient_name": None}, "blank pack"),
        ({"reference": "48291355"}, "ten digits"),
        ({"format": "braille"}, "format"),
    ],
)
def test_content_that_cannot_be_printed_is_refused(make_content, changes, message):
    with pytest.raises(ValueError, match=message):
        make_content(**changes)


def test_an_address_too_long_for_the_window_is_refused_not_squeezed(make_content):
    content = make_content(address_lines=("W" * 120, "Liverpool", "L1 9BQ"))
    with pytest.raises(ValueError, match="too long"):
        render_pack(content)


def test_facts_from_the_definition_file(facts):
    assert facts.freepost_address[-1] == "L3 1BP"
    assert facts.closes_on == date(2021, 1, 13)
    assert isinstance(facts, type(PackContent.__dataclass_fields__["consultation"].type)) or facts.slug


@pytest.mark.parametrize("fmt", FORMATS)
def test_recorded_shared_pages_print_exactly_what_drawing_them_prints(make_content, monkeypatch, fmt):
    from service.packs import form_xobjects as forms

    content = make_content(format=fmt, recipient_name="Zoë Nguyễn")
    replayed = render_pack(content)
    monkeypatch.setattr(forms, "_encodes_alike", lambda canvas, recording: False)  # force drawing
    assert render_pack(content) == replayed


def test_a_canvas_whose_fonts_already_differ_still_gets_correct_shared_pages(make_content, read_pack, facts):
    from dataclasses import replace

    from service.packs import form_xobjects as forms

    # "Ș" is outside the fonts' fixed repertoire: the recording gives it the next free code.
    welsh = replace(
        facts, summary="Dyma’r strategaeth ddigidol – dweud eich dweud, Siân a Gwên, Ștefan. " + facts.summary
    )
    content = make_content(consultation=welsh)
    assert forms._encodes_alike(
        new_canvas(io.BytesIO(), date(2020, 12, 2)), forms.record(pack_layout(welsh, "standard").pages)
    )
    # Text drawn before the pack gives "Ț" the code the recording assumed for "Ș", so the shared pages must be
    # drawn afresh rather than copied.
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, date(2020, 12, 2))
    canvas.setFont("DejaVuSans", 12)
    canvas.drawString(100, 100, "ŵ € ‘quoted’ – Łódź Țara")
    canvas.showPage()
    assert not forms._encodes_alike(canvas, forms.record(pack_layout(welsh, "standard").pages))
    draw_pack(canvas, content)
    canvas.save()
    pages = read_pack(buffer.getvalue()).pages
    assert "ŵ € ‘quoted’ – Łódź Țara" in pages[0].extract_text()
    assert "Dyma’r strategaeth ddigidol – dweud eich dweud, Siân a Gwên, Ștefan." in " ".join(
        pages[1].extract_text().split()
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_shared_objects_written_once_are_the_bytes_reportlab_writes(make_content, monkeypatch, fmt):
    from reportlab.pdfbase.pdfdoc import PDFFormXObject

    from service.packs import format_once

    content = make_content(format=fmt, recipient_name="Ștefan Nguyễn")  # outside the fixed repertoire too
    format_once._forms.clear()
    format_once._widths.clear()
    first = render_pack(content)
    assert format_once._forms and format_once._widths  # the first pack wrote them
    assert render_pack(content) == first  # the next one takes them from the cache
    monkeypatch.setattr(format_once.SharedForm, "format", PDFFormXObject.format)
    monkeypatch.setattr(format_once.FormattedWidths, "format", lambda self, document: self.array.format(document))
    assert render_pack(content) == first  # and ReportLab writing every object itself gives the same bytes


def test_packs_of_two_layouts_on_one_canvas_each_get_their_own_shared_pages(make_content, read_pack, facts):
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, date(2020, 12, 2))
    for fmt in ("standard", "large_print", "standard"):
        draw_pack(canvas, make_content(format=fmt))
    canvas.save()
    standard, large = (pack_layout(facts, fmt).page_count for fmt in ("standard", "large_print"))
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    assert len(reader.pages) == 2 * standard + large
    assert len(_form_xobjects(reader)) == standard + large
    pages = read_pack(buffer.getvalue()).pages
    assert f"Page 1 of {large}" in pages[standard].extract_text()
    assert f"Page 1 of {standard}" in pages[standard + large].extract_text()
