"""A stored pack lost or cut short (a power cut before the disk caught up) costs a redraw, never a wrong letter.

The render does not wait for the disk before its commit; every reader checks the stored bytes against the
row's hash and draws the pack again from its row, which gives the very same bytes.
"""

from __future__ import annotations

import io
import subprocess

import pytest
from pypdf import PdfReader

from service import storage
from service.extensions import db
from service.models import Pack, Role
from service.print_batches.builder import batch_file_key, build_batch_file
from service.reference import format_reference
from tests.factories import make_consultation, make_request
from tests.print_providers.test_notify import notify  # noqa: F401 (the fixture: a local GOV.UK Notify)
from workers.jobs import print_run, render_request_packs, send_request_to_provider

# What a power cut can leave under a file's name when its data had not reached the disk.
DAMAGE = {
    "empty": lambda pdf: b"",
    "cut short": lambda pdf: pdf[: len(pdf) // 2],
    "gone": None,
}


@pytest.fixture
def damage():
    """Damage a pack's stored file as a power cut would; put it back after the test (the store is shared)."""
    originals: dict = {}

    def damage(pack: Pack, how: str) -> None:
        path = storage.path_for(pack.file_key)
        originals[path] = path.read_bytes()
        if DAMAGE[how] is None:
            path.unlink()
        else:
            path.write_bytes(DAMAGE[how](originals[path]))

    yield damage
    for path, pdf in originals.items():
        path.write_bytes(pdf)


def rendered_pack(name: str, postcode: str = "L1 8JQ", consultation=None) -> tuple[int, Pack, bytes]:
    request = make_request(consultation or make_consultation(), name=name, postcode=postcode)
    assert render_request_packs(request.id) == "rendered"
    db.session.expire_all()
    pack = db.session.get(Pack, request.packs[0].id)
    return request.id, pack, storage.path_for(pack.file_key).read_bytes()


@pytest.mark.parametrize("how", DAMAGE)
def test_the_preview_of_a_damaged_stored_pack_is_the_pack_as_rendered(app, client, staff, damage, how):
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        request_id, pack, rendered = rendered_pack("Siân Roberts")
        damage(pack, how)
        pack_id, reference = pack.id, pack.reference
    preview = client.get(f"/requests/{request_id}/packs/{pack_id}.pdf")
    assert preview.status_code == 200 and preview.data == rendered  # drawn again: the very same bytes
    pages = PdfReader(io.BytesIO(preview.data)).pages
    assert len(pages) == 8 and "Siân Roberts" in pages[0].extract_text()
    assert all(f"Reference {format_reference(reference)}" in page.extract_text() for page in pages)


@pytest.mark.parametrize("how", DAMAGE)
def test_a_print_batch_prints_a_damaged_stored_pack_whole(app_ctx, file_store, damage, how):
    consultation = make_consultation()
    rendered_pack("Amara Okafor", "L1 8JQ", consultation)
    _, second, second_pdf = rendered_pack("Gethin Lloyd", "L2 2AA", consultation)
    damage(second, how)
    (batch_id,) = print_run()
    build_batch_file(batch_id)
    pdf = storage.path_for(batch_file_key(batch_id)).read_bytes()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    pages = text.decode().split("\f")[:-1]
    assert len(pages) == 2 + 8 + 8  # cover sheet (two sides), then both packs whole
    assert "Gethin Lloyd" in pages[2 + 8] and "Amara Okafor" in pages[2]
    assert all(f"Reference {format_reference(second.reference)}" in page for page in pages[2 + 8 :])
    # The damaged pack's pages are the ones it was rendered with, drawing for drawing.
    batch_pages = PdfReader(io.BytesIO(pdf)).pages
    for n, page in enumerate(PdfReader(io.BytesIO(second_pdf)).pages):
        assert batch_pages[2 + 8 + n].get_contents().get_data() == page.get_contents().get_data()


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_stored_pack_goes_to_notify_as_rendered(app_ctx, notify, damage, how):  # noqa: F811 (the fixture)
    request_id, pack, rendered = rendered_pack("Siân Roberts")
    damage(pack, how)
    assert send_request_to_provider(request_id) == "sent"
    ((_, letter),) = notify.letters.items()
    assert letter["pdf"] == rendered and "Siân Roberts" in PdfReader(io.BytesIO(letter["pdf"])).pages[0].extract_text()
