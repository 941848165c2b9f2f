"""Print runs, batch files and manifests, posting, cancelling, reprinting; one pack, one batch."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from service import storage
from service.dao.printing import PacksAlreadyClaimed, claim_packs, create_print_batch, find_ready_packs, get_batch
from service.extensions import db
from service.models import BatchItem, BatchStatus, PaperRequest, PrintFormat, RequestStatus, Role
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request
from workers.jobs import build_print_batch, print_run, render_request_packs

CALLERS = [("Carys Evans", "CH41 1AA"), ("Aled Jones", "L1 8JQ"), ("Bea Smith", "L17 8UU"), ("Dai Price", "WA8 7QL")]


def ready_requests(consultation, callers=CALLERS, **answers):
    requests = []
    for name, postcode in callers:
        request = make_request(
            consultation, name=name, postcode=postcode, address_line_1=f"{len(requests) + 1} Test Street", **answers
        )
        render_request_packs(request.id)
        requests.append(request)
    return requests


def test_a_print_run_batches_ready_packs_by_postcode_and_writes_one_print_ready_pdf(app_ctx, file_store):
    consultation = make_consultation()
    requests = ready_requests(consultation)
    large = ready_requests(consultation, [("Eve Large", "L2 2AA")], print_format=PrintFormat.LARGE_PRINT)
    request_ids = [r.id for r in requests + large]
    batch_ids = print_run()
    assert len(batch_ids) == 2  # one batch per format
    for batch_id in batch_ids:
        assert build_print_batch(batch_id) == "built"
    standard = next(get_batch(b) for b in batch_ids if get_batch(b).format == PrintFormat.STANDARD)
    assert standard.status == BatchStatus.READY and standard.pack_count == 4 and standard.packs_built == 4
    reader = PdfReader(io.BytesIO(storage.path_for(standard.file_key).read_bytes()))
    assert len(reader.pages) == 2 + 4 * 8 == standard.page_count  # cover sheet (one sheet), then 8 pages a pack
    assert reader.metadata.title == f"Print batch {standard.id}"
    assert "Print batch" in reader.pages[0].extract_text() and "Packs 4" in reader.pages[0].extract_text().replace(
        "\n", " "
    )
    first_pages = [reader.pages[2 + i * 8].extract_text() for i in range(4)]
    # Sorted by postcode: CH41, L1, L17, WA8.
    assert [next(n for n, _ in CALLERS if n in text) for text in first_pages] == [
        "Carys Evans",
        "Aled Jones",
        "Bea Smith",
        "Dai Price",
    ]
    assert all(re.search(r"Page 1 of 8", text) for text in first_pages)
    for request_id in request_ids:  # the builder forgets what it wrote, so ask the database again
        assert db.session.get(PaperRequest, request_id).status == RequestStatus.IN_PRINT_BATCH
    assert print_run() == []  # nothing left to batch


def test_manifest_posting_and_status_follow_through_the_screens(app, client, staff, file_store):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        requests = ready_requests(make_consultation())
        (batch_id,) = print_run()
        build_print_batch(batch_id)
        request_ids = [r.id for r in requests]
        references = {r.packs[0].reference for r in requests}
    page = client.get(f"/print-batches/{batch_id}").get_data(as_text=True)
    assert "Print file (PDF, 34 pages)" in page and "Mark as sent to print" in page
    with client.get(f"/print-batches/{batch_id}/batch.pdf") as pdf:  # a file response: close it like a browser
        assert pdf.mimetype == "application/pdf" and len(PdfReader(io.BytesIO(pdf.data)).pages) == 34
    manifest = list(
        csv.DictReader(io.StringIO(client.get(f"/print-batches/{batch_id}/manifest.csv").get_data(as_text=True)))
    )
    assert [row["postcode"] for row in manifest] == ["CH41 1AA", "L1 8JQ", "L17 8UU", "WA8 7QL"]
    assert {row["reference"] for row in manifest} == references
    assert manifest[0]["name"] == "Carys Evans" and manifest[0]["pages"] == "8" and manifest[0]["sheets"] == "4"
    assert manifest[0]["format"] == "Standard print" and "Test Street" in manifest[0]["address"]

    client.post(
        f"/print-batches/{batch_id}/sent-to-print",
        data={"csrf_token": csrf_token(client, f"/print-batches/{batch_id}")},
    )
    with app.app_context():
        assert get_batch(batch_id).status == BatchStatus.SENT_TO_PRINT
    bad = client.post(
        f"/print-batches/{batch_id}/posted",
        data={"posted_on": "2099-01-01", "csrf_token": csrf_token(client, f"/print-batches/{batch_id}")},
    )
    assert "Date posted must be today or in the past" in bad.get_data(as_text=True)
    assert re.search(r'id="posted_on-year"[^>]*value="2099"', bad.get_data(as_text=True))  # kept as typed
    today = date.today().isoformat()
    client.post(
        f"/print-batches/{batch_id}/posted",
        data={"posted_on": today, "csrf_token": csrf_token(client, f"/print-batches/{batch_id}")},
    )
    with app.app_context():
        from service.dao.requests import get_request

        assert get_batch(batch_id).status == BatchStatus.POSTED
        assert {get_request(i).status for i in request_ids} == {RequestStatus.POSTED}
    history = client.get(f"/requests/{request_ids[0]}").get_data(as_text=True)
    for status in ("Pack ready to print", "In a print batch", "Sent to print", "Posted"):
        assert status in history


def test_a_cancelled_batch_returns_its_packs_for_the_next_run(app_ctx, file_store):
    request_ids = [r.id for r in ready_requests(make_consultation())]
    (first,) = print_run()
    build_print_batch(first)
    from service.dao.printing import cancel_batch

    cancel_batch(get_batch(first), None, "Test")
    for request_id in request_ids:
        assert db.session.get(PaperRequest, request_id).status == RequestStatus.PACK_READY
    (second,) = print_run()
    assert second != first and get_batch(second).pack_count == 4
    # The cancelled batch keeps its items as history, and the database no longer counts them as holding a pack.
    first_items = db.session.scalars(select(BatchItem).where(BatchItem.batch_id == first)).all()
    assert len(first_items) == 4 and {i.batch_status for i in first_items} == {BatchStatus.CANCELLED}


def test_a_pack_lost_in_the_post_is_reprinted_with_the_same_reference_in_a_later_batch(app_ctx, file_store):
    (request,) = ready_requests(make_consultation(), CALLERS[:1])
    request_id, pack_id, reference = request.id, request.packs[0].id, request.packs[0].reference
    (first,) = print_run()
    build_print_batch(first)
    from service.dao.printing import mark_batch_posted, mark_batch_sent_to_print, reprint_request

    mark_batch_sent_to_print(get_batch(first), None, "Test")
    mark_batch_posted(get_batch(first), get_batch(first).created_at.date(), None, "Test")
    reprint_request(db.session.get(PaperRequest, request_id), None, "Test", "Lost in the post")
    (second,) = print_run()
    build_print_batch(second)
    items = db.session.scalars(select(BatchItem).where(BatchItem.pack_id == pack_id).order_by(BatchItem.batch_id)).all()
    assert [(i.batch_id, i.print_round) for i in items] == [(first, 1), (second, 2)]
    reader = PdfReader(io.BytesIO(storage.path_for(get_batch(second).file_key).read_bytes()))
    assert f"{reference[:3]} {reference[3:6]} {reference[6:]}" in reader.pages[2].extract_text()


def test_a_database_constraint_keeps_a_pack_out_of_two_batches(app_ctx):
    consultation = make_consultation()
    ready_requests(consultation)
    # Two print runs read the same ready packs before either writes...
    seen_by_first = find_ready_packs(consultation.id, PrintFormat.STANDARD)
    second = create_print_batch(consultation.id, PrintFormat.STANDARD)
    assert second.pack_count == 4
    # ...the slower one's claim is refused by the unique constraint, not by luck.
    with pytest.raises(PacksAlreadyClaimed):
        claim_packs(consultation.id, PrintFormat.STANDARD, seen_by_first, None)
    assert create_print_batch(consultation.id, PrintFormat.STANDARD) is None
    per_pack = db.session.execute(select(BatchItem.pack_id, func.count()).group_by(BatchItem.pack_id)).all()
    assert len(per_pack) == 4 and {count for _, count in per_pack} == {1}


def test_the_batch_screen_shows_progress_while_building(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        ready_requests(make_consultation())
        (batch_id,) = print_run()
    page = client.get(f"/print-batches/{batch_id}").get_data(as_text=True)
    assert '<progress id="batch-progress" max="4" value="0">' in page
    assert client.get(f"/print-batches/{batch_id}/progress").get_json() == {
        "status": "building",
        "label": "Building",
        "done": 0,
        "total": 4,
    }
    with app.app_context():
        build_print_batch(batch_id)
    assert client.get(f"/print-batches/{batch_id}/progress").get_json()["done"] == 4
