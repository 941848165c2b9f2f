"""Nothing lost: real worker processes killed mid-render, Redis flushed with jobs queued, two workers racing.

Every request must still end with exactly one pack per copy, each in exactly one batch.
"""

from __future__ import annotations

import redis
from sqlalchemy import func, select

from service.extensions import db
from service.models import BatchItem, BatchStatus, Pack, PaperRequest, PrintBatch, PrintFormat, RequestStatus
from service.models.printing import HOLDING_STATUSES
from service.queues import queue
from service.queues.enqueue import enqueue_print_run
from tests.factories import make_consultation, make_request
from tests.worker_processes import WorkerProcess, wait_for
from workers.jobs import render_request_packs

REQUESTS = 30
COPIES = 3


def count(query) -> int:
    db.session.rollback()  # see what the workers committed since
    return db.session.scalar(query) or 0


def rendered() -> int:
    return count(select(func.count(Pack.id)).where(Pack.rendered_at.is_not(None)))


def requests_in(status: RequestStatus) -> int:
    return count(select(func.count(PaperRequest.id)).where(PaperRequest.status == status))


def assert_every_pack_in_exactly_one_batch(expected_packs: int) -> None:
    db.session.rollback()
    packs = db.session.scalars(select(Pack).where(Pack.request_id.is_not(None))).all()
    assert len(packs) == expected_packs
    holding = BatchItem.batch_status.in_(HOLDING_STATUSES)
    per_pack = dict(
        db.session.execute(select(BatchItem.pack_id, func.count()).where(holding).group_by(BatchItem.pack_id)).all()
    )
    assert {per_pack.get(p.id, 0) for p in packs} == {1}
    batches = db.session.scalars(select(PrintBatch)).all()
    assert all(b.status == BatchStatus.READY for b in batches)
    assert sum(b.pack_count for b in batches) == expected_packs


def test_killed_worker_and_flushed_redis_lose_nothing(app_ctx, database_url, redis_url, file_store, tmp_path):
    consultation = make_consultation()
    for n in range(REQUESTS):
        make_request(
            consultation,
            name=f"Caller {n}",
            address_line_1=f"{n} Hope Street",
            copies=COPIES,
            print_format=PrintFormat.LARGE_PRINT,
        )
    total_packs = REQUESTS * COPIES
    connection = redis.Redis.from_url(redis_url)
    assert connection.llen("rq:queue:packs") == REQUESTS  # queued after each commit

    first = WorkerProcess(database_url, redis_url, file_store, tmp_path / "worker-1.log")
    try:
        wait_for(lambda: rendered() >= 1, 120, "the first pack to be rendered")
    finally:
        first.kill()  # mid-render: most packs are still to do
    at_kill = rendered()
    assert at_kill < total_packs, "the worker finished before it could be killed; make the work bigger"
    connection.flushdb()  # ...and Redis loses every queued job

    second = WorkerProcess(database_url, redis_url, file_store, tmp_path / "worker-2.log")
    try:
        # The restarted worker's schedule brings the sweep back, which re-queues every render due.
        wait_for(lambda: requests_in(RequestStatus.PACK_READY) == REQUESTS, 240, "every request's packs", poll=0.5)
        enqueue_print_run()
        wait_for(
            lambda: (
                requests_in(RequestStatus.IN_PRINT_BATCH) == REQUESTS
                and count(select(func.count(PrintBatch.id)).where(PrintBatch.status == BatchStatus.READY)) == 1
            ),
            240,
            "the batch to be built",
            poll=0.5,
        )
    finally:
        second.stop()
    assert_every_pack_in_exactly_one_batch(total_packs)
    batch = db.session.scalars(select(PrintBatch)).one()
    assert batch.page_count == 2 + total_packs * 14  # cover sheet, then every large-print pack whole


def test_two_workers_running_print_runs_at_once_never_share_a_pack(
    app_ctx, database_url, redis_url, file_store, tmp_path
):
    consultation = make_consultation()
    for n in range(12):
        render_request_packs(make_request(consultation, name=f"Caller {n}", address_line_1=f"{n} Bold Street").id)
    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    for racer in ("first", "second"):  # two print runs queued together, for two workers to take at once
        queue("batches", connection).enqueue("workers.jobs.print_run", None, job_id=f"print-run-{racer}")
    workers = [
        WorkerProcess(database_url, redis_url, file_store, tmp_path / f"racer-{i}.log", "--burst") for i in range(2)
    ]
    for worker in workers:
        assert worker.wait(240) == 0
    # Whichever run got there first batched everything; the other found nothing left or was refused.
    wait_for(lambda: requests_in(RequestStatus.IN_PRINT_BATCH) == 12, 60, "all requests batched")
    assert_every_pack_in_exactly_one_batch(12)
