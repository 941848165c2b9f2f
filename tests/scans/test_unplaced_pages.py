"""Pages nobody could place belong to no pack, so no erasure of a person and no consultation's retention
reaches them: a supervisor can delete one, and the retention schedule deletes them after their own period.
Placing one is a single transaction, done once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from service import storage
from service.dao.scans import create_scan
from service.extensions import db
from service.models import AuditEvent, Pack, Role, Scan, ScanPage, ScanPageStatus, ScanStatus
from service.models.types import utcnow
from service.packs.answer_boxes import answer_boxes
from service.packs.assemble import pack_content
from service.scans.cli import store_upload
from service.scans.intake import read_scan as read_stack
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request, make_staff
from workers.jobs import erase_expired_personal_data

from .conftest import as_pdf, scanned_pages


@pytest.fixture
def unplaced(app_ctx) -> ScanPage:
    """A questionnaire page whose barcodes a coffee ring covered: it waits in "pages to place"."""
    pack = make_request(make_consultation("unplaced", title="Digital Strategy"), name="Siân Roberts").packs[0]
    content = pack_content(pack)
    number = next(n for n, boxes in answer_boxes(content.consultation, content.format).items() if boxes)
    image = scanned_pages(pack, {})[number]
    height, width = image.shape
    image[int(height * 0.9) :, int(width * 0.4) :] = 240
    data = as_pdf([image])
    scan = create_scan(store_upload(data), "smudged.pdf", 1, None)
    read_stack(scan.id, data)
    (page,) = db.session.query(ScanPage).all()
    assert page.status == ScanPageStatus.TO_PLACE and page.pack_id is None
    assert storage.path_for(page.image_key).exists()
    return page


def _scanned_days_ago(page: ScanPage, days: int) -> None:
    page.created_at = utcnow() - timedelta(days=days)
    db.session.commit()


def test_the_retention_schedule_deletes_unplaced_pages_scanned_before_its_period(app, unplaced):
    image = storage.path_for(unplaced.image_key)
    _scanned_days_ago(unplaced, app.config["UNPLACED_SCAN_RETENTION_DAYS"] - 1)
    erase_expired_personal_data()
    db.session.expire_all()
    assert image.exists() and db.session.get(ScanPage, unplaced.id).status == ScanPageStatus.TO_PLACE

    _scanned_days_ago(unplaced, app.config["UNPLACED_SCAN_RETENTION_DAYS"] + 1)
    erase_expired_personal_data()
    db.session.expire_all()
    page = db.session.get(ScanPage, unplaced.id)
    assert not image.exists()
    assert page.image_key is None and page.status == ScanPageStatus.DISCARDED
    assert db.session.query(AuditEvent).filter_by(action="retention.scans_released").count() == 1


def test_the_retention_schedule_deletes_an_old_upload_that_was_never_read(app, app_ctx):
    scan = create_scan(store_upload(b"%PDF-1.4 a stack that failed to read"), "failed.pdf", 3, None)
    upload = storage.path_for(scan.file_key)
    scan.status, scan.created_at = ScanStatus.FAILED, utcnow() - timedelta(days=365)
    db.session.commit()
    assert upload.exists()
    erase_expired_personal_data()
    db.session.expire_all()
    assert not upload.exists() and db.session.get(Scan, scan.id).file_key == ""


def test_a_supervisor_deletes_a_page_nobody_can_place_and_a_keyer_cannot(app, sign_in, unplaced):
    image = storage.path_for(unplaced.image_key)
    keyer, _ = sign_in(Role.DATA_ENTRY)
    html = keyer.get("/scans/to-place").get_data(as_text=True)
    assert "Delete this page" not in html
    token = csrf_token(keyer, "/scans/to-place")
    assert (
        keyer.post(f"/scans/pages/{unplaced.id}/discard", data={"csrf_token": token, "reason": "erasure"}).status_code
        == 403
    )
    assert image.exists()

    client, _ = sign_in(Role.SUPERVISOR)
    token = csrf_token(client, "/scans/to-place")
    refused = client.post(f"/scans/pages/{unplaced.id}/discard", data={"csrf_token": token, "reason": ""})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert re.search(r'id="reason-\d+-error"[^>]*>.*Choose why this page is to be deleted', html)
    assert image.exists()

    done = client.post(f"/scans/pages/{unplaced.id}/discard", data={"csrf_token": token, "reason": "erasure"})
    assert done.status_code == 302
    page_after = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "deleted: the person it belongs to asked for their data to be erased" in page_after
    assert 'id="nothing-to-place"' in page_after
    assert not image.exists()
    db.session.expire_all()
    assert db.session.get(ScanPage, unplaced.id).status == ScanPageStatus.DISCARDED
    assert client.get(f"/scans/pages/{unplaced.id}/image").status_code == 404

    again = client.post(f"/scans/pages/{unplaced.id}/discard", data={"csrf_token": token, "reason": "erasure"})
    assert "already been placed or deleted" in client.get(again.headers["Location"]).get_data(as_text=True)
    trail = client.get("/audit").get_data(as_text=True)
    assert "which nobody could place: the person it belongs to asked for their data to be erased" in trail


def _page_number_of(page: ScanPage) -> int:
    pack = db.session.query(Pack).one()
    content = pack_content(pack)
    return next(n for n, boxes in answer_boxes(content.consultation, content.format).items() if boxes)


def test_a_placing_that_fails_part_way_loses_nothing(app, sign_in, unplaced, monkeypatch):
    """The "to place" row goes in the same transaction as the row of what the page became: a failure (or a
    killed process) in between leaves the page waiting, with its picture, as before."""
    from service.dao import scans as scans_dao

    def fails(*args, **kwargs):
        raise SystemExit(1)  # the web process is stopped mid-request (gunicorn stops a worker this way)

    monkeypatch.setattr(scans_dao, "record_audit", fails)
    keyer, _ = sign_in(Role.DATA_ENTRY)
    pack = db.session.query(Pack).one()
    token = csrf_token(keyer, "/scans/to-place")
    number = str(_page_number_of(unplaced))
    with pytest.raises(SystemExit):
        keyer.post(
            f"/scans/pages/{unplaced.id}/place",
            data={"csrf_token": token, "reference": pack.reference, "page_number": number},
        )
    db.session.expire_all()
    (page,) = db.session.query(ScanPage).all()
    assert page.status == ScanPageStatus.TO_PLACE and storage.path_for(page.image_key).exists()

    monkeypatch.undo()
    response = keyer.post(
        f"/scans/pages/{page.id}/place", data={"csrf_token": token, "reference": pack.reference, "page_number": number}
    )
    assert response.status_code == 302
    db.session.expire_all()
    (placed,) = db.session.query(ScanPage).all()
    assert placed.status == ScanPageStatus.READ and placed.pack_id == pack.id and placed.placed_by_id is not None


def test_two_people_placing_the_same_page_place_it_once(app_ctx, unplaced):
    """The second placing finds the "to place" row gone (compare-and-set on its status) and says so."""
    from service.dao.scans import PageAlreadyPlaced
    from service.scans.intake import place_page
    from service.scans.pictures import stored_pixels

    pack = db.session.query(Pack).one()
    keyer = make_staff(Role.DATA_ENTRY).id
    pixels = stored_pixels(unplaced.image_key)
    scan_id, position, number = unplaced.scan_id, unplaced.position, _page_number_of(unplaced)
    first = place_page(scan_id, position, pixels, pack, number, keyer, placed_by_id=keyer)
    assert first.status == ScanPageStatus.READ
    with pytest.raises(PageAlreadyPlaced):
        place_page(scan_id, position, pixels, pack, number, keyer, placed_by_id=keyer)
    db.session.rollback()
    assert [p.status for p in db.session.query(ScanPage).all()] == [ScanPageStatus.READ]
