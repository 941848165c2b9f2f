"""Every page carries reference, barcode and page number; fonts are embedded; type is big enough."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from service.packs.render import pack_page_count

from .pdf_rules import WINDOW, plain

FORMATS = ["standard", "large_print"]
BASE_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_page_has_the_reference_and_page_x_of_y(make_content, read_pack, fmt):
    pages = read_pack(make_content(format=fmt)).pages
    for number, page in enumerate(pages, start=1):
        text = plain(page.extract_text())
        assert "482 913 5570" in text, f"page {number}"
        assert f"Page {number} of {len(pages)}" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_page_count_is_even_and_standard_fits_a_posted_letter(make_content, read_pack, facts, fmt):
    pages = read_pack(make_content(format=fmt)).pages
    assert len(pages) % 2 == 0
    assert len(pages) == pack_page_count(facts, fmt)
    if fmt == "standard":
        assert len(pages) <= 10


def test_a_padding_page_says_it_is_intentionally_blank(make_content, read_pack):
    texts = [plain(page.extract_text()) for page in read_pack(make_content(format="large_print")).pages]
    blank = [text for text in texts if "This page is intentionally blank" in text]
    assert blank
    assert all("482 913 5570" in text for text in blank)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_barcode_decodes_to_reference_and_page(make_content, tmp_path: Path, fmt):
    from service.packs.render import render_pack

    for tool in ("pdftoppm", "zbarimg"):
        assert shutil.which(tool), f"install Debian's {'poppler-utils' if tool == 'pdftoppm' else 'zbar-tools'}"
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(render_pack(make_content(format=fmt)))
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pack_page_count(make_content().consultation, fmt)
    for number, image in enumerate(images, start=1):
        found = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Scode128.enable", str(image)],
            capture_output=True,
            text=True,
        )
        assert found.stdout.split() == [f"4829135570-{number:02d}"], image.name


def _fonts(resources, seen: set[int]) -> list:
    """Every font dictionary reachable from a resources dictionary, forms included."""
    out = []
    if resources is None or id(resources) in seen:
        return out
    seen.add(id(resources))
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        out.append(font.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            out += _fonts(xobject.get("/Resources"), seen)
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_fonts_are_embedded_and_none_is_base_14(make_content, fmt):
    from service.packs.render import render_pack

    reader = PdfReader(io.BytesIO(render_pack(make_content(format=fmt))))
    fonts = [font for page in reader.pages for font in _fonts(page.get("/Resources"), set())]
    assert fonts
    for font in fonts:
        name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
        assert name not in BASE_14
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, name
        assert any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")), name


@pytest.mark.parametrize(("fmt", "smallest_pt"), [("standard", 12), ("large_print", 16)])
def test_no_text_is_smaller_than_the_format_allows_except_the_address(make_content, read_pack, fmt, smallest_pt):
    pdf = read_pack(
        make_content(format=fmt, address_lines=("Flat 2", "3 Long Lane", "Wavertree", "Liverpool", "L15 1AB"))
    )
    for page in pdf.pages:
        small = [
            c["text"]
            for c in page.chars
            if c["text"].strip() and c["size"] < smallest_pt - 0.01 and not (page.page_number == 1 and WINDOW.holds(c))
        ]
        assert small == [], f"page {page.page_number}"


def test_large_print_is_larger_than_standard(make_content, read_pack):
    sizes = {}
    for fmt in FORMATS:
        pages = read_pack(make_content(format=fmt)).pages
        sizes[fmt] = max(set(round(c["size"]) for p in pages for c in p.chars), key=lambda s: s)
    assert sizes["large_print"] > sizes["standard"]
