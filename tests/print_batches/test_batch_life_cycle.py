"""The print batch life cycle is a set of compare-and-set changes, and the database holds the line:
a pack is in at most one holding batch per print round, whatever order cancels, builds and print runs
come in, and a cancelled batch never becomes ready."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from service.dao.printing import (
    cancel_batch,
    get_batch,
    mark_batch_built,
    mark_batch_posted,
    mark_batch_sent_to_print,
    mark_pack_ready,
    save_rendered_pack,
)
from service.extensions import db
from service.models import (
    BATCH_STATES,
    BatchItem,
    BatchStatus,
    IllegalTransition,
    PaperRequest,
    PrintBatch,
    PrintFormat,
    RequestStatus,
)
from service.models.printing import HOLDING_STATUSES
from service.print_batches.builder import BatchNoLongerBuilding, build_batch_file
from tests.factories import make_consultation, make_request
from tests.worker_processes import WorkerProcess, wait_for
from workers.jobs import build_print_batch, print_run


def ready_requests(consultation, count: int, print_format=PrintFormat.STANDARD) -> list[int]:
    """Requests whose packs count as rendered (a batch draws its packs afresh, so no PDF is needed)."""
    ids = []
    for n in range(count):
        request = make_request(
            consultation, name=f"Caller {n}", address_line_1=f"{n} Hope Street", print_format=print_format
        )
        for pack in request.packs:  # the page count the batch's own drawing of the pack will have
            save_rendered_pack(pack, None, 14 if print_format == PrintFormat.LARGE_PRINT else 8)
        mark_pack_ready(request)
        ids.append(request.id)
    return ids


def holding_batches_per_pack() -> dict[int, int]:
    db.session.rollback()  # see what other processes committed
    query = (
        select(BatchItem.pack_id, func.count())
        .where(BatchItem.batch_status.in_(HOLDING_STATUSES))
        .group_by(BatchItem.pack_id)
    )
    return dict(db.session.execute(query).all())


def files_of(file_store, *batch_ids: int) -> list[str]:
    """The print files of these batches, and any temporary part of one, in the file store."""
    names = [f"batch-{batch_id}.pdf" for batch_id in batch_ids]
    return sorted(p.name for p in (file_store / "batches").glob("*") if any(n in p.name for n in names))


def forget_earlier_files(file_store, *batch_ids: int) -> None:
    """The file store outlives each test, and batch ids start again: clear what earlier tests wrote."""
    (file_store / "batches").mkdir(parents=True, exist_ok=True)
    for name in files_of(file_store, *batch_ids):
        (file_store / "batches" / name).unlink()


def test_the_batch_table_lets_nothing_leave_posted_or_cancelled_and_nothing_return_to_building():
    assert BATCH_STATES.moves[BatchStatus.POSTED] == frozenset()
    assert BATCH_STATES.moves[BatchStatus.CANCELLED] == frozenset()
    assert BATCH_STATES.sources(BatchStatus.BUILDING) == []  # only a new batch is building


def test_a_cancelled_batch_cannot_become_ready_sent_or_posted(app_ctx, file_store):
    ready_requests(make_consultation(), 2)
    (batch_id,) = print_run()
    cancel_batch(get_batch(batch_id), None, "Test")
    with pytest.raises(IllegalTransition, match="Cancelled"):
        mark_batch_built(get_batch(batch_id), "batches/late.pdf", 18)
    with pytest.raises(IllegalTransition):
        mark_batch_sent_to_print(get_batch(batch_id), None, "Test")
    with pytest.raises(IllegalTransition):
        mark_batch_posted(get_batch(batch_id), get_batch(batch_id).created_at.date(), None, "Test")
    with pytest.raises(IllegalTransition):
        cancel_batch(get_batch(batch_id), None, "Test")  # twice: the second click changes nothing
    assert get_batch(batch_id).status == BatchStatus.CANCELLED and get_batch(batch_id).file_key is None


def test_the_database_refuses_a_pack_in_two_holding_batches_even_past_the_code(app_ctx, file_store):
    ready_requests(make_consultation(), 2)
    (first,) = print_run()
    cancel_batch(get_batch(first), None, "Test")
    (second,) = print_run()
    assert holding_batches_per_pack() and set(holding_batches_per_pack().values()) == {1}
    # Bringing the cancelled batch back by hand is refused by the database itself...
    with pytest.raises(IntegrityError):
        db.session.execute(update(PrintBatch).where(PrintBatch.id == first).values(status=BatchStatus.READY))
        db.session.flush()
    db.session.rollback()
    # ...and so is a third batch claiming a pack the second holds.
    pack_id, print_round = db.session.execute(
        select(BatchItem.pack_id, BatchItem.print_round).where(BatchItem.batch_id == second).limit(1)
    ).one()
    third = PrintBatch(consultation_id=get_batch(second).consultation_id, format=PrintFormat.STANDARD)
    db.session.add(third)
    db.session.flush()
    with pytest.raises(IntegrityError):
        db.session.execute(
            text(
                "INSERT INTO batch_items (batch_id, batch_status, pack_id, print_round, position) "
                "VALUES (:batch, 'building', :pack, :round, 0)"
            ),
            {"batch": third.id, "pack": pack_id, "round": print_round},
        )
    db.session.rollback()
    assert get_batch(first).status == BatchStatus.CANCELLED


@pytest.mark.parametrize("cancel_after_chunk", [1, 3], ids=["mid-file", "after-the-last-chunk"])
def test_a_builder_that_finds_its_batch_cancelled_discards_its_file(app_ctx, file_store, cancel_after_chunk):
    request_ids = ready_requests(make_consultation(), 3)
    (batch_id,) = print_run()
    forget_earlier_files(file_store, batch_id, batch_id + 1)
    chunks = []

    def cancel_on_chunk(done: int, total: int) -> None:
        chunks.append(done)
        if len(chunks) == cancel_after_chunk:
            cancel_batch(get_batch(batch_id), None, "Supervisor")

    with pytest.raises(BatchNoLongerBuilding):
        build_batch_file(batch_id, cancel_on_chunk, chunk_packs=1)
    batch = get_batch(batch_id)
    assert batch.status == BatchStatus.CANCELLED and batch.file_key is None
    assert files_of(file_store, batch_id) == []  # neither the print file nor a temporary part of it
    assert {db.session.get(PaperRequest, r).status for r in request_ids} == {RequestStatus.PACK_READY}
    assert build_print_batch(batch_id) == "nothing to do"  # a retried build of it does nothing


def test_cancel_while_a_real_worker_builds_posts_each_pack_once(app_ctx, database_url, redis_url, file_store, tmp_path):
    request_ids = ready_requests(make_consultation(), 60, PrintFormat.LARGE_PRINT)
    (batch_id,) = print_run()  # queues the build
    forget_earlier_files(file_store, batch_id, batch_id + 1)
    worker = WorkerProcess(
        database_url, redis_url, file_store, tmp_path / "builder.log", "--burst", env={"BATCH_CHUNK_PACKS": "2"}
    )
    try:
        wait_for(lambda: (db.session.rollback() or get_batch(batch_id).packs_built) >= 2, 120, "the build to start")
        cancel_batch(get_batch(batch_id), None, "Supervisor")
        building_when_cancelled = get_batch(batch_id).packs_built < get_batch(batch_id).pack_count
        assert worker.wait(240) == 0
    finally:
        worker.kill()
    assert building_when_cancelled, "the worker finished before the cancel; make the batch bigger"
    db.session.rollback()
    assert get_batch(batch_id).status == BatchStatus.CANCELLED and get_batch(batch_id).file_key is None
    assert files_of(file_store, batch_id) == []
    assert {db.session.get(PaperRequest, r).status for r in request_ids} == {RequestStatus.PACK_READY}
    # The packs go into the next batch, and only there.
    (next_batch,) = print_run()
    assert build_print_batch(next_batch) == "built"
    assert holding_batches_per_pack() == {p.id: 1 for r in request_ids for p in db.session.get(PaperRequest, r).packs}
    assert files_of(file_store, batch_id, next_batch) == [f"batch-{next_batch}.pdf"]
