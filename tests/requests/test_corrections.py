"""Corrections before printing and cancellations before posting, as a call handler makes them."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from service import storage
from service.dao.printing import create_print_batch, get_batch, mark_batch_built, mark_batch_sent_to_print
from service.dao.requests import get_status_history
from service.extensions import db
from service.models import AuditEvent, BatchStatus, PaperRequest, PrintFormat, RequestStatus, Role
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request, stored_pack_pdf
from workers.jobs import render_request_packs

MM = 72 / 25.4


@pytest.fixture
def consultation(app_ctx):
    return make_consultation("open-one")


@pytest.fixture
def handler(staff):
    return staff.sign_in(Role.CALL_HANDLER)


def ready_request(consultation, **answers) -> PaperRequest:
    request = make_request(consultation, **answers)
    assert render_request_packs(request.id) == "rendered"
    return reload(request)


def reload(request: PaperRequest) -> PaperRequest:
    db.session.expire_all()
    return db.session.get(PaperRequest, request.id)


def correction(request: PaperRequest, **changes) -> dict[str, str]:
    caller = request.caller
    data = {
        "name": caller.name,
        "address_line_1": caller.address_line_1,
        "address_line_2": caller.address_line_2,
        "address_line_3": caller.address_line_3,
        "town": caller.town,
        "postcode": caller.postcode,
        "phone": "",
        "format": request.format.value,
        "language": "",
        "copies": str(request.copies),
        "reason": "",
    }
    data.update(changes)
    return data


def post(client, path: str, data: dict[str, str]):
    return client.post(path, data=dict(data, csrf_token=csrf_token(client, path)))


def window_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        window = document.pages[0].crop((24.6 * MM, 39.5 * MM, 120 * MM, 66.3 * MM))
        return [line["text"] for line in window.extract_text_lines()]


def test_a_correction_keeps_the_references_and_makes_the_pack_again(client, consultation, handler):
    request = ready_request(consultation, name="Ada Lovelace", copies=2)
    references = [pack.reference for pack in request.packs]
    old_files = [storage.path_for(pack.file_key) for pack in request.packs]
    assert all(path.exists() for path in old_files)
    response = post(
        client,
        f"/requests/{request.id}/correct",
        correction(request, name="Ada King", address_line_1="14 Hope Street", reason="Caller rang back"),
    )
    assert response.status_code == 302
    request = reload(request)
    assert [pack.reference for pack in request.packs] == references
    assert all(pack.file_key is None for pack in request.packs)  # the old PDFs are gone
    assert not any(path.exists() for path in old_files)  # from the store too: they had the old address
    assert request.status == RequestStatus.WAITING_FOR_PACK
    assert render_request_packs(request.id) == "rendered"
    request = reload(request)
    assert window_text(stored_pack_pdf(request.packs[0]))[:2] == ["Ada King", "14 Hope Street"]
    notes = [change.note for change in get_status_history(request.id)]
    assert "Corrected: name, address. Caller rang back" in notes
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.entity_id == request.id)).all()
    assert "request.corrected" in actions
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Corrected: name, address" in page


def test_a_correction_obeys_the_postal_rules_beside_the_field(client, consultation, handler):
    request = ready_request(consultation)
    response = post(
        client, f"/requests/{request.id}/correct", correction(request, address_line_1="(Flat 2) 12 Hope St")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="address_line_1-error">.*cannot start with “\(”', page, re.S)
    assert 'value="(Flat 2) 12 Hope St"' in page
    assert reload(request).status == RequestStatus.PACK_READY


def test_more_copies_get_new_references_and_fewer_cancel_the_last(client, consultation, handler):
    request = ready_request(consultation, copies=2)
    first_two = [pack.reference for pack in request.packs]
    post(client, f"/requests/{request.id}/correct", correction(request, copies="3"))
    request = reload(request)
    assert [p.reference for p in request.live_packs][:2] == first_two and len(request.live_packs) == 3
    post(client, f"/requests/{request.id}/correct", correction(request, copies="1"))
    request = reload(request)
    assert [p.reference for p in request.live_packs] == first_two[:1]
    assert request.copies == 1
    assert render_request_packs(request.id) == "rendered"
    request = reload(request)
    assert [p.file_key is not None for p in request.packs] == [True, False, False]


def test_a_format_made_by_hand_goes_on_the_alternative_formats_list(client, consultation, handler):
    request = ready_request(consultation)
    post(client, f"/requests/{request.id}/correct", correction(request, format=PrintFormat.EASY_READ.value))
    request = reload(request)
    assert request.status == RequestStatus.ALTERNATIVE_FORMAT_DUE and request.fulfilment_due_on is not None
    assert all(pack.file_key is None for pack in request.packs)


def test_correcting_a_request_in_an_unsent_batch_withdraws_it(client, consultation, handler):
    mine = ready_request(consultation, name="Ada Lovelace")
    other = ready_request(consultation, name="Grace Hopper", address_line_1="1 Bold Street", postcode="L1 4DS")
    batch = create_print_batch(consultation.id, PrintFormat.STANDARD)
    assert reload(mine).status == RequestStatus.IN_PRINT_BATCH
    post(client, f"/requests/{mine.id}/correct", correction(reload(mine), name="Ada King"))
    db.session.expire_all()
    assert get_batch(batch.id).status == BatchStatus.CANCELLED
    assert reload(mine).status == RequestStatus.WAITING_FOR_PACK
    assert reload(other).status == RequestStatus.PACK_READY  # waits for the next print run


def test_cancel_one_copy_then_the_request(client, consultation, handler):
    request = ready_request(consultation, copies=2)
    second = request.packs[1]
    response = post(client, f"/requests/{request.id}/cancel", {"what": str(second.id), "reason": "Only needs one"})
    assert response.status_code == 302
    request = reload(request)
    assert [p.cancelled_at is not None for p in request.packs] == [False, True]
    assert request.copies == 1 and request.packs[1].file_key is None
    assert request.status == RequestStatus.PACK_READY
    response = post(client, f"/requests/{request.id}/cancel", {"what": "request", "reason": ""})
    assert "Enter why" in response.get_data(as_text=True)
    post(client, f"/requests/{request.id}/cancel", {"what": "request", "reason": "No longer wanted"})
    request = reload(request)
    assert request.status == RequestStatus.CANCELLED
    assert all(pack.file_key is None for pack in request.packs)
    notes = [change.note for change in get_status_history(request.id)]
    assert f"Copy 2 ({second.reference}) cancelled: Only needs one" in notes
    assert "Cancelled: No longer wanted" in notes
    # A cancelled copy never goes into a print batch.
    assert create_print_batch(consultation.id, PrintFormat.STANDARD) is None


def test_nothing_can_be_changed_once_sent_to_print(client, consultation, handler, staff):
    request = ready_request(consultation)
    batch = create_print_batch(consultation.id, PrintFormat.STANDARD)
    mark_batch_built(batch, "batches/test.pdf", 8)
    mark_batch_sent_to_print(batch, None, "Test")
    for path, data in (
        (f"/requests/{request.id}/correct", correction(reload(request), name="Ada King")),
        (f"/requests/{request.id}/cancel", {"what": "request", "reason": "Too late"}),
    ):
        response = client.post(path, data=dict(data, csrf_token=csrf_token(client, f"/requests/{request.id}")))
        assert response.status_code == 302
        assert "can no longer be" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert reload(request).status == RequestStatus.SENT_TO_PRINT
    assert reload(request).caller.name == "Ada Lovelace"


def test_a_corrected_postcode_the_directory_does_not_know_is_warned_about(client, consultation, handler):
    request = ready_request(consultation)
    response = post(client, f"/requests/{request.id}/correct", correction(request, postcode="L1 9ZZ"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Postcode L1 9ZZ is not in the ONS Postcode Directory (November 2025)" in page
    assert reload(request).local_authority is None  # not guessed from the district
