"""Find, export and erase a person's data; the retention job; personal data never in the logs."""

from __future__ import annotations

import io
import json
import logging
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import func, select

from service import storage
from service.dao.printing import get_batch, mark_batch_posted, mark_batch_sent_to_print
from service.extensions import db
from service.models import AuditEvent, Caller, Pack, PaperRequest, Return, ReturnStatus, Role
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request
from workers.jobs import build_print_batch, erase_expired_personal_data, print_run, render_request_packs


def posted_request(consultation, **answers) -> tuple[int, int]:
    """A request whose pack has been printed and posted: (request id, batch id)."""
    request = make_request(consultation, **answers)
    render_request_packs(request.id)
    (batch_id,) = print_run()
    build_print_batch(batch_id)
    mark_batch_sent_to_print(get_batch(batch_id), None, "Test")
    mark_batch_posted(get_batch(batch_id), date.today(), None, "Test")
    return request.id, batch_id


def test_find_export_and_erase_one_person(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation = make_consultation()
        request_id, batch_id = posted_request(
            consultation, name="Persephone Quirke", postcode="L18 1DG", phone="+447911123456", notes="Prefers mornings"
        )
        make_request(consultation, name="Someone Else", postcode="CH41 1AA", address_line_1="9 Other Road")
        caller_id = db.session.get(PaperRequest, request_id).caller_id
        reference = db.session.get(PaperRequest, request_id).packs[0].reference
        batch_file = get_batch(batch_id).file_key
        pack_files = [pack.file_key for pack in db.session.get(PaperRequest, request_id).packs]
        assert pack_files and all(storage.path_for(key).exists() for key in pack_files)  # rendered once, stored
    # Found by part of the name, by postcode typed loosely, and by phone number.
    for query in ("name=quirke", "postcode=l181dg", "phone=07911+123456"):
        page = client.get(f"/personal-data?{query}").get_data(as_text=True)
        assert "1 person found" in page and "Persephone Quirke" in page and "Someone Else" not in page
    # Subject access export: everything held, as JSON.
    (export,) = json.loads(client.get(f"/personal-data/callers/{caller_id}/export.json").get_data(as_text=True))[
        "records"
    ]
    assert export["personal_details"]["name"] == "Persephone Quirke"
    assert export["personal_details"]["phone"] == "+447911123456"
    assert export["requests"][0]["references"] == [reference] and export["requests"][0]["notes"] == "Prefers mornings"
    assert [h["status"] for h in export["requests"][0]["history"]][-1] == "posted"
    # Erasure is asked on a page of its own that says what will go, and needs a reason.
    person = client.get(f"/personal-data/callers/{caller_id}").get_data(as_text=True)
    assert f'href="/personal-data/callers/{caller_id}/erase">Erase this person\'s data</a>' in person
    confirm = client.get(f"/personal-data/callers/{caller_id}/erase").get_data(as_text=True)
    assert "Erase the personal data of Persephone Quirke?" in confirm and "(1 request and 1 call)" in confirm
    assert "This cannot be undone." in confirm and "No, keep their data" in confirm
    token = csrf_token(client, f"/personal-data/callers/{caller_id}/erase")
    refused = client.post(f"/personal-data/callers/{caller_id}/erase", data={"csrf_token": token, "reason": ""})
    body = refused.get_data(as_text=True)
    assert "Enter why you are erasing this person&#39;s data" in body and 'href="#reason"' in body
    with app.app_context():
        assert db.session.get(Caller, caller_id).erased_at is None
    client.post(
        f"/personal-data/callers/{caller_id}/erase",
        data={"csrf_token": token, "reason": "Asked us to", "confirm": "yes"},
    )
    with app.app_context():
        caller = db.session.get(Caller, caller_id)
        assert caller.erased_at and caller.name == "" and caller.postcode == "" and caller.phone is None
        request = db.session.get(PaperRequest, request_id)
        assert request.notes == "" and request.status.value == "posted" and request.local_authority == "Liverpool"
        assert db.session.scalar(select(Pack.file_key).where(Pack.request_id == request_id)) is None
        assert not any(storage.path_for(key).exists() for key in pack_files)  # the letters named the caller
        assert not storage.path_for(batch_file).exists()  # the printed batch file held the address
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "caller")).all()
        assert {"privacy.searched", "privacy.exported", "privacy.erased"} <= set(actions)
        details = db.session.scalars(select(AuditEvent.details).where(AuditEvent.action == "privacy.searched")).all()
        assert "Quirke" not in json.dumps(details)  # what was searched for is not kept
    assert "0 people found" in client.get("/personal-data?name=quirke").get_data(as_text=True)
    assert "Personal data erased on" in client.get(f"/personal-data/callers/{caller_id}").get_data(as_text=True)
    assert client.get(f"/personal-data/callers/{caller_id}/export.json").status_code == 404


def test_the_retention_job_erases_personal_data_and_keeps_counts_and_answers(app_ctx, file_store):
    old = make_consultation("old", open_now=False, closes_on=date.today() - timedelta(days=91))
    recent = make_consultation("recent", open_now=False, closes_on=date.today() - timedelta(days=10))
    old_request_id, _ = posted_request(old, name="Old Caller", postcode="L1 8JQ", notes="Call after 6pm")
    recent_request = make_request(recent, name="Recent Caller", postcode="WA8 7QL")
    pack = db.session.get(PaperRequest, old_request_id).packs[0]
    pack_file = storage.path_for(pack.file_key)
    assert pack_file.exists()
    db.session.add(
        Return(
            consultation_id=old.id,
            pack_id=pack.id,
            received_on=date.today(),
            status=ReturnStatus.VERIFIED,
            final_answers={"q1a_infrastructure_priority": "2"},
        )
    )
    db.session.commit()

    assert erase_expired_personal_data() == 1
    db.session.expire_all()
    old_request = db.session.get(PaperRequest, old_request_id)
    assert old_request.caller.erased_at and old_request.caller.name == "" and old_request.notes == ""
    assert old_request.local_authority == "Liverpool" and old_request.status.value == "posted"  # counts stay
    assert old_request.packs[0].file_key is None and not pack_file.exists()  # the letter named the caller
    assert db.session.scalar(select(Return.final_answers).where(Return.pack_id == pack.id)) == {
        "q1a_infrastructure_priority": "2"
    }
    assert db.session.scalar(select(func.count(PaperRequest.id)).where(PaperRequest.consultation_id == old.id)) == 1
    assert db.session.get(PaperRequest, recent_request.id).caller.name == "Recent Caller"  # within retention
    assert erase_expired_personal_data() == 0  # nothing left to erase


def test_personal_data_never_reaches_the_logs_across_whole_flows(app, client, staff, caplog):
    caplog.set_level(logging.DEBUG)
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        consultation_id = make_consultation().id
    token = csrf_token(client, "/requests/new")
    client.post(
        "/requests/new",
        data={"csrf_token": token, "consultation_id": consultation_id, "name": "Persephone Quirke", "address_line_1": "7 Lark Lane",
              "town": "Liverpool", "postcode": "L17 8UU", "phone": "07911 123456", "format": "standard", "copies": "1"},
    )  # fmt: skip
    client.get("/requests?q=Quirke")
    with app.app_context():
        request_id = db.session.scalar(select(PaperRequest.id))
        render_request_packs(request_id)
        (batch_id,) = print_run()
        build_print_batch(batch_id)
        pdf = storage.path_for(get_batch(batch_id).file_key).read_bytes()
    assert "Persephone Quirke" in PdfReader(io.BytesIO(pdf)).pages[2].extract_text()  # the data really flowed
    client.get(f"/print-batches/{batch_id}/manifest.csv")
    logged = caplog.text
    assert "Request" in logged  # something was logged
    for personal in ("Persephone", "Quirke", "Lark Lane", "L17 8UU", "L178UU", "07911", "447911123456"):
        assert personal not in logged
