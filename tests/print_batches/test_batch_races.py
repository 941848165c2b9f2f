"""The batch life cycle against what can happen at the same moment, with real worker processes: a second
builder of the same batch (a job the sweep took for a dead worker's while it was only slow), a person
erased while the batch holding their pack is built, and a print run while another batch is still built.
(A cancel while a real worker builds is in test_batch_life_cycle.py.)"""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from service import storage
from service.dao.printing import get_batch
from service.extensions import db
from service.models import BatchStatus, PaperRequest, PrintFormat, RequestStatus
from service.personal_data.erasure import erase_person
from service.print_batches.builder import BatchNoLongerBuilding, build_batch_file
from tests.factories import make_consultation
from tests.print_batches.test_batch_life_cycle import (
    files_of,
    forget_earlier_files,
    holding_batches_per_pack,
    ready_requests,
)
from tests.worker_processes import WorkerProcess, wait_for
from workers.jobs import build_print_batch, print_run

LARGE_PRINT_PAGES = 14


def pages_in_file(batch_id: int) -> int:
    return len(PdfReader(storage.path_for(get_batch(batch_id).file_key)).pages)


def pack_ids_of(request_ids: list[int]) -> list[int]:
    return [p.id for r in request_ids for p in db.session.get(PaperRequest, r).packs]


def packs_built(batch_id: int) -> int:
    db.session.rollback()  # see what the worker committed
    return get_batch(batch_id).packs_built


def test_a_second_builder_finishing_last_leaves_the_ready_batch_its_print_file(
    app_ctx, database_url, redis_url, file_store, tmp_path
):
    request_ids = ready_requests(make_consultation(), 6)
    (batch_id,) = print_run()  # queues the build for the real worker below
    forget_earlier_files(file_store, batch_id)

    def after_the_only_chunk(done: int, total: int) -> None:
        # This builder has written every pack. Before it moves its file into place, a real worker builds
        # the same batch from its queued job and marks it ready.
        worker = WorkerProcess(database_url, redis_url, file_store, tmp_path / "other-builder.log", "--burst")
        try:
            assert worker.wait(240) == 0
        finally:
            worker.kill()

    with pytest.raises(BatchNoLongerBuilding):
        build_batch_file(batch_id, after_the_only_chunk, chunk_packs=100)
    db.session.rollback()
    batch = get_batch(batch_id)
    assert batch.status == BatchStatus.READY
    assert files_of(file_store, batch_id) == [f"batch-{batch_id}.pdf"]  # its print file, and no temporary part
    assert pages_in_file(batch_id) == batch.page_count == 2 + 6 * 8
    assert holding_batches_per_pack() == {p: 1 for p in pack_ids_of(request_ids)}


def test_erasing_a_person_while_a_real_worker_builds_their_batch_prints_everyone_else_once(
    app_ctx, database_url, redis_url, file_store, tmp_path
):
    request_ids = ready_requests(make_consultation(), 60, PrintFormat.LARGE_PRINT)
    erased_request = request_ids[len(request_ids) // 2]
    (batch_id,) = print_run()
    forget_earlier_files(file_store, batch_id, batch_id + 1)
    worker = WorkerProcess(
        database_url, redis_url, file_store, tmp_path / "builder.log", "--burst", env={"BATCH_CHUNK_PACKS": "2"}
    )
    try:
        wait_for(lambda: packs_built(batch_id) >= 2, 120, "the build to start")
        erase_person(db.session.get(PaperRequest, erased_request).caller, None, "S. Supervisor", "Asked us to")
        building_when_erased = packs_built(batch_id) < get_batch(batch_id).pack_count
        assert worker.wait(240) == 0
    finally:
        worker.kill()
    assert building_when_erased, "the worker finished before the erasure; make the batch bigger"
    db.session.rollback()
    assert get_batch(batch_id).status == BatchStatus.CANCELLED and get_batch(batch_id).file_key is None
    assert files_of(file_store, batch_id) == []  # no print file, no half-written part, with their name in it
    others = [r for r in request_ids if r != erased_request]
    assert db.session.get(PaperRequest, erased_request).status == RequestStatus.CANCELLED
    assert {db.session.get(PaperRequest, r).status for r in others} == {RequestStatus.PACK_READY}
    # Everyone else is printed in the next run, once; the erased person's pack in no batch that holds it.
    (next_batch,) = print_run()
    assert build_print_batch(next_batch) == "built"
    assert holding_batches_per_pack() == {p: 1 for p in pack_ids_of(others)}
    assert pages_in_file(next_batch) == get_batch(next_batch).page_count == 2 + 59 * LARGE_PRINT_PAGES


def test_a_print_run_while_a_real_worker_builds_takes_only_the_packs_no_batch_holds(
    app_ctx, database_url, redis_url, file_store, tmp_path
):
    consultation = make_consultation()
    first_requests = ready_requests(consultation, 60, PrintFormat.LARGE_PRINT)
    (first,) = print_run()
    forget_earlier_files(file_store, first, first + 1)
    builder = WorkerProcess(
        database_url, redis_url, file_store, tmp_path / "builder.log", "--burst", env={"BATCH_CHUNK_PACKS": "2"}
    )
    try:
        wait_for(lambda: packs_built(first) >= 2, 120, "the build to start")
        later_requests = ready_requests(consultation, 3, PrintFormat.LARGE_PRINT)
        (second,) = print_run()  # its build queued behind the first, for the same worker
        building_during_the_run = packs_built(first) < get_batch(first).pack_count
        assert builder.wait(240) == 0
    finally:
        builder.kill()
    assert building_during_the_run, "the worker finished before the print run; make the batch bigger"
    db.session.rollback()
    assert get_batch(first).status == get_batch(second).status == BatchStatus.READY
    assert holding_batches_per_pack() == {p: 1 for p in pack_ids_of(first_requests + later_requests)}
    assert get_batch(second).pack_count == 3
    assert pages_in_file(first) == get_batch(first).page_count == 2 + 60 * LARGE_PRINT_PAGES
    assert pages_in_file(second) == get_batch(second).page_count == 2 + 3 * LARGE_PRINT_PAGES
