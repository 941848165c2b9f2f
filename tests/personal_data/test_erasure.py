"""Erasure reaches every copy: print batches not yet sent, print files already sent, temporary files, stored
packs; screens and the render command say plainly that the data was erased."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from service import storage
from service.dao.printing import batch_file_key, claim_packs, find_ready_packs, get_batch
from service.extensions import db
from service.models import AuditEvent, BatchStatus, Caller, Pack, PaperRequest, PrintFormat, RequestStatus, Role
from service.print_batches.manifest import manifest_csv
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request
from tests.personal_data.test_personal_data import posted_request
from workers.jobs import build_print_batch, erase_expired_personal_data, print_run, render_request_packs

ERASED = "Persephone Quirke"
OTHERS = ("Someone Else", "Ada Lovelace")


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


@pytest.fixture
def earlier_packs(file_store) -> set:
    """The pack files already in the session's file store when the test starts: other tests' packs, some for
    callers of the same name (in one process, `make test TEST_WORKERS=0`, they all share one store)."""
    return set((file_store / "packs").rglob("*.pdf"))


def stored_packs(earlier: set) -> list:
    """Every pack PDF in the file store made since the test started."""
    return sorted(p for p in storage.path_for("packs").rglob("*.pdf") if p not in earlier)


def ready_batch_of_three(consultation) -> tuple[list[int], int]:
    """Three requests rendered and built into one batch, ready to print: (request ids, batch id)."""
    requests = [
        make_request(
            consultation, name=ERASED, address_line_1="7 Lark Lane", postcode="L17 8UU", phone="+447911123456"
        ),
        make_request(consultation, name=OTHERS[0], address_line_1="9 Other Road", postcode="CH41 1AA"),
        make_request(consultation, name=OTHERS[1], address_line_1="12 Hope Street", postcode="L1 9BQ"),
    ]
    ids = [r.id for r in requests]
    for request_id in ids:
        render_request_packs(request_id)
    (batch_id,) = print_run()
    build_print_batch(batch_id)
    return ids, batch_id


def erase(client, caller_id: int, reason: str = "They asked us to"):
    token = csrf_token(client, f"/personal-data/callers/{caller_id}/erase")
    return client.post(f"/personal-data/callers/{caller_id}/erase", data={"csrf_token": token, "reason": reason})


def test_a_ready_batch_holding_the_person_is_cancelled_and_the_others_print_in_the_next_run(
    app, client, staff, earlier_packs
):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        (erased_id, *other_ids), batch_id = ready_batch_of_three(make_consultation())
        caller_id = db.session.get(PaperRequest, erased_id).caller_id
        batch_path = storage.path_for(get_batch(batch_id).file_key)
        assert ERASED in pdf_text(batch_path)  # the data really was in the print file
    confirm = client.get(f"/personal-data/callers/{caller_id}/erase").get_data(as_text=True)
    assert f"Batch {batch_id} (standard print) is not yet sent to print: it will be cancelled" in confirm
    response = erase(client, caller_id)
    assert response.status_code == 302 and response.location.endswith(f"/personal-data/callers/{caller_id}")
    with app.app_context():
        batch = get_batch(batch_id)
        assert batch.status == BatchStatus.CANCELLED and batch.file_key is None
        assert not batch_path.exists()
        assert db.session.get(PaperRequest, erased_id).status == RequestStatus.CANCELLED
        assert {db.session.get(PaperRequest, i).status for i in other_ids} == {RequestStatus.PACK_READY}
        assert db.session.scalar(select(Pack.file_key).where(Pack.request_id == erased_id)) is None
        assert not any(
            name in pdf_text(path) for path in stored_packs(earlier_packs) for name in ("Quirke", "Lark Lane")
        )
        # The next print run prints everyone else, and nobody erased.
        (next_batch,) = print_run()
        build_print_batch(next_batch)
        text = pdf_text(storage.path_for(get_batch(next_batch).file_key))
        assert all(name in text for name in OTHERS) and "Quirke" not in text and "Lark Lane" not in text
        assert get_batch(next_batch).pack_count == 2
        assert "Quirke" not in manifest_csv(next_batch) and "Someone Else" in manifest_csv(next_batch)
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.erased")).one()
        assert event.entity_id == caller_id and event.details["fields"] == ["name", "address", "phone"]
        assert event.details["batches_cancelled"] == [batch_id] and event.details["requests_cancelled"] == [erased_id]
        assert "Quirke" not in json.dumps(event.details)
    # The person's page says it was erased, by whom, and what happened to the batch.
    page = client.get(f"/personal-data/callers/{caller_id}").get_data(as_text=True)
    today = date.today()
    assert f"Personal data erased on {today.day} {today:%B %Y} by " in page
    assert f"Batch {batch_id} was not yet sent to print: it was cancelled" in page and "Quirke" not in page


def test_a_batch_already_sent_loses_its_print_file_and_keeps_counts_and_statuses(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        request_id, batch_id = posted_request(make_consultation(), name=ERASED, postcode="L18 1DG")
        caller_id = db.session.get(PaperRequest, request_id).caller_id
        batch_path = storage.path_for(get_batch(batch_id).file_key)
    confirm = client.get(f"/personal-data/callers/{caller_id}/erase").get_data(as_text=True)
    assert "has been sent to print: its print file will be deleted" in confirm
    erase(client, caller_id)
    with app.app_context():
        batch = get_batch(batch_id)
        assert batch.status == BatchStatus.POSTED and batch.pack_count == 1 and not batch_path.exists()
        assert db.session.get(PaperRequest, request_id).status == RequestStatus.POSTED
    page = client.get(f"/personal-data/callers/{caller_id}").get_data(as_text=True)
    assert f"Batch {batch_id} had already been sent to print: its print file was deleted" in page
    assert "Kept: references, counts, statuses and survey answers" in page


def test_a_batch_still_building_is_cancelled_and_its_half_written_file_removed(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation = make_consultation()
        request = make_request(consultation, name=ERASED, postcode="L18 1DG")
        request_id, caller_id = request.id, request.caller_id
        render_request_packs(request_id)
        batch = claim_packs(
            consultation.id, PrintFormat.STANDARD, find_ready_packs(consultation.id, PrintFormat.STANDARD), None
        )
        batch_id = batch.id
        final = storage.path_for(batch_file_key(batch_id))
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(f".{final.name}.4242{storage.TEMPORARY_SUFFIX}")
        temporary.write_bytes(b"%PDF- half written, with a name in it")
    erase(client, caller_id)
    with app.app_context():
        assert not temporary.exists() and not final.exists()
        assert get_batch(batch_id).status == BatchStatus.CANCELLED
        assert build_print_batch(batch_id) == "nothing to do"  # the builder, when it comes, makes nothing
        assert not final.exists()


def test_screens_and_the_render_command_say_plainly_that_the_data_was_erased(app, client, staff, tmp_path):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        request = make_request(make_consultation(), name=ERASED, postcode="L18 1DG")
        request_id, caller_id = request.id, request.caller_id
        pack_id, reference = request.packs[0].id, request.packs[0].reference
        render_request_packs(request_id)
    erase(client, caller_id)
    notice = f"Personal data erased on {date.today().day} {date.today():%B %Y} by "
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert notice in page and "Preview" not in page.split('id="packs"', 1)[1]
    for url in (
        f"/requests/{request_id}/packs/{pack_id}.pdf",
        f"/requests/{request_id}/packs/{pack_id}.pdf?download=1",
    ):
        response = client.get(url)
        assert response.status_code == 410 and notice in response.get_data(as_text=True)
    output = tmp_path / "pack.pdf"
    result = app.test_cli_runner().invoke(args=["packs", "render", reference, "-o", str(output)])
    assert result.exit_code == 1 and notice in result.output and "Traceback" not in result.output
    assert not output.exists()


def test_the_retention_job_takes_the_same_path_through_ready_batches(app_ctx, file_store):
    old = make_consultation("old", open_now=False, closes_on=date.today() - timedelta(days=91))
    request_ids, batch_id = ready_batch_of_three(old)
    batch_path = storage.path_for(get_batch(batch_id).file_key)
    assert erase_expired_personal_data() == 3
    db.session.expire_all()
    assert get_batch(batch_id).status == BatchStatus.CANCELLED and not batch_path.exists()
    assert {db.session.get(PaperRequest, i).status for i in request_ids} == {RequestStatus.CANCELLED}
    assert db.session.scalar(select(Caller.name).where(Caller.name != "")) is None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.erased")).one()
    assert event.details["batches_cancelled"] == [batch_id] and event.details["callers"] == 3


def test_a_record_erased_by_the_retention_schedule_says_so(app_ctx, file_store):
    from service.personal_data.erasure import erased_notice

    old = make_consultation("old", open_now=False, closes_on=date.today() - timedelta(days=91))
    caller_id = make_request(old, name=ERASED, postcode="L18 1DG").caller_id
    erase_expired_personal_data()
    db.session.expire_all()
    today = date.today()
    assert erased_notice(db.session.get(Caller, caller_id)) == (
        f"Personal data erased on {today.day} {today:%B %Y} by the retention schedule"
    )


def test_a_pack_drawn_while_its_caller_is_erased_is_never_kept(app_ctx, file_store, monkeypatch, earlier_packs):
    """The render job draws a pack from the caller's details; erasure commits before it saves. The save's
    compare-and-set finds the request no longer waiting, and the job deletes the file it drew."""
    import workers.jobs
    from service.personal_data.erasure import erase_person

    request = make_request(make_consultation(), name=ERASED, address_line_1="7 Lark Lane", postcode="L17 8UU")
    request_id, caller_id = request.id, request.caller_id
    drawn = workers.jobs.render_pack

    def draw_then_erase(content):
        pdf = drawn(content)  # the letter, with the name and address, drawn before the erasure...
        with app_ctx.app_context():  # ...which a supervisor commits on another session meanwhile
            erase_person(db.session.get(Caller, caller_id), None, "Test", "Asked us to")
        return pdf

    monkeypatch.setattr(workers.jobs, "render_pack", draw_then_erase)
    assert render_request_packs(request_id) == "request changed meanwhile"
    db.session.expire_all()
    assert db.session.get(PaperRequest, request_id).status == RequestStatus.CANCELLED
    assert db.session.scalar(select(Pack.file_key).where(Pack.request_id == request_id)) is None
    assert not any("Quirke" in pdf_text(path) for path in stored_packs(earlier_packs))  # the drawn file left


def test_a_braille_file_made_while_its_caller_is_erased_is_never_kept(app_ctx, file_store, monkeypatch):
    import service.accessible_formats.make as make
    from service.models import AccessibleFile
    from service.personal_data.erasure import erase_person

    request = make_request(make_consultation(), name=ERASED, postcode="L18 1DG", print_format=PrintFormat.BRAILLE)
    request_id, caller_id, reference = request.id, request.caller_id, request.packs[0].reference
    embossed = make.make_braille

    def emboss_then_erase(content, tools):
        braille = embossed(content, tools)  # the letter in braille, name and address in it...
        with app_ctx.app_context():  # ...and the erasure commits on another session meanwhile
            erase_person(db.session.get(Caller, caller_id), None, "Test", "Asked us to")
        return braille

    monkeypatch.setattr(make, "make_braille", emboss_then_erase)
    assert render_request_packs(request_id) == "request changed meanwhile"
    db.session.expire_all()
    assert db.session.get(PaperRequest, request_id).status == RequestStatus.CANCELLED
    assert db.session.scalars(select(AccessibleFile.file_key).where(AccessibleFile.file_key.is_not(None))).all() == []
    assert not storage.path_for(f"accessible/{reference}.brf").exists()
