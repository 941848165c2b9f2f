"""A print run is one line in the audit trail with its counts, however many packs it holds."""

from __future__ import annotations

from sqlalchemy import func, select, update

from benchmarks.requests_setup import bulk_insert_requests
from service.dao.audit import AuditSearch, search_audit
from service.dao.printing import get_batch, mark_batch_posted, mark_batch_sent_to_print
from service.extensions import db
from service.models import (
    AuditEvent,
    BatchStatus,
    PaperRequest,
    PrintBatch,
    PrintFormat,
    RequestStatus,
    Role,
    StatusChange,
)
from service.models.types import utcnow
from tests.factories import make_consultation, make_staff
from workers.jobs import print_run


def _ready_requests(count: int, print_format: PrintFormat = PrintFormat.STANDARD) -> list[int]:
    """`count` requests whose packs wait for a print run (inserted in bulk, as the benchmarks do)."""
    consultation = make_consultation()
    bulk_insert_requests(consultation.id, count)
    ids = list(db.session.scalars(select(PaperRequest.id).where(PaperRequest.consultation_id == consultation.id)))
    # Rendering 400 PDFs would only slow this down: a print run claims packs by their request's status.
    db.session.execute(
        update(PaperRequest)
        .where(PaperRequest.id.in_(ids))
        .values(status=RequestStatus.PACK_READY, format=print_format)
    )
    db.session.commit()
    return ids


def _entries() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_a_400_pack_print_run_writes_one_entry_with_its_counts(app_ctx):
    supervisor = make_staff(Role.SUPERVISOR)
    request_ids = _ready_requests(400)
    before = _entries()
    (batch_id,) = print_run(supervisor.id)
    assert _entries() == before + 1
    entry = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (entry.action, entry.actor_id, entry.details) == (
        "print_run.done",
        supervisor.id,
        {"batches": 1, "packs": 400},
    )
    assert [(o.entity_type, o.entity_id) for o in entry.objects] == [("print_batch", batch_id)]
    # Each request's own history still says which batch took it.
    moved = select(func.count()).where(StatusChange.to_status == RequestStatus.IN_PRINT_BATCH.value)
    assert db.session.scalar(moved) == len(request_ids)


def test_sending_and_posting_a_batch_are_one_entry_each_not_one_per_request(app_ctx):
    supervisor = make_staff(Role.SUPERVISOR)
    _ready_requests(40)
    (batch_id,) = print_run(supervisor.id)
    # Built: its file is not needed here.
    db.session.execute(update(PrintBatch).where(PrintBatch.id == batch_id).values(status=BatchStatus.READY))
    db.session.commit()
    before = _entries()
    mark_batch_sent_to_print(get_batch(batch_id), supervisor.id, supervisor.display_name)
    mark_batch_posted(get_batch(batch_id), utcnow().date(), supervisor.id, supervisor.display_name)
    assert _entries() == before + 2
    latest = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(2)).all()
    assert [e.action for e in latest] == ["print_batch.posted", "print_batch.sent_to_print"]
    assert all(e.details["requests"] == 40 for e in latest)


def test_a_run_of_several_batches_is_one_entry_found_by_each_batch_number(app_ctx):
    _ready_requests(3)
    _ready_requests(2, PrintFormat.LARGE_PRINT)
    before = _entries()
    batch_ids = print_run()  # the daily run: no member of staff
    assert len(batch_ids) == 2 and _entries() == before + 1
    for batch_id in batch_ids:
        found = search_audit(AuditSearch(objects=(("print_batch", batch_id),))).items
        assert [(e.action, e.actor_id, e.details) for e in found] == [
            ("print_run.done", None, {"batches": 2, "packs": 5})
        ]


def test_a_daily_run_with_nothing_ready_writes_nothing(app_ctx):
    before = _entries()
    assert print_run() == [] and _entries() == before
