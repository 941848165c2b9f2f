"""Recovery without rq's scheduler: a worker started after a crash moves stranded scheduled jobs, sweeps for
lost work at once, and takes over the housekeeping lock a dead worker left behind."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import redis

from service import storage
from service.dao.requests import get_request
from service.extensions import db
from service.models import PrintFormat, RequestStatus
from service.queues import queue
from service.queues.enqueue import render_job_id
from service.queues.sweep import STALE_TEMPORARY_FILE_SECONDS
from tests.factories import make_consultation, make_request
from tests.worker_processes import WorkerProcess, wait_for
from workers.housekeeping import LOCK_KEY
from workers.jobs import sweep


def status_of(request_id: int) -> RequestStatus:
    db.session.rollback()
    return get_request(request_id).status


def test_work_stranded_by_a_dead_scheduler_and_a_flushed_queue_is_done_by_the_next_worker(
    app_ctx, database_url, redis_url, file_store, tmp_path
):
    consultation = make_consultation()
    retried = make_request(consultation, name="Retried Caller").id
    lost = make_request(consultation, name="Lost Caller", print_format=PrintFormat.LARGE_PRINT).id
    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()  # both renders' jobs are gone...
    # ...except one, waiting as a retry in rq's scheduled registry, as a killed worker's failed try leaves it,
    queue("packs", connection).enqueue_at(
        datetime.now(UTC) - timedelta(seconds=5),
        "workers.jobs.render_request_packs",
        retried,
        job_id=render_job_id(retried),
    )
    # with the dead worker's rq scheduler lock and housekeeping lock still held for a while.
    connection.set("rq:scheduler-lock:packs", "dead-worker", ex=3600)
    connection.set(LOCK_KEY, "dead-worker", ex=4)
    started = time.monotonic()
    worker = WorkerProcess(database_url, redis_url, file_store, tmp_path / "worker.log")
    try:
        wait_for(
            lambda: status_of(retried) == status_of(lost) == RequestStatus.PACK_READY, 120, "both packs", poll=0.25
        )
    finally:
        worker.kill()
    recovered_in = time.monotonic() - started
    assert recovered_in < 60, f"took {recovered_in:.0f} s"
    assert not connection.exists("rq:scheduled:packs") or connection.zcard("rq:scheduled:packs") == 0


def test_the_sweep_removes_temporary_files_left_by_a_killed_builder(app_ctx, file_store):
    folder = file_store / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    left_behind, in_progress = folder / ".batch-98.pdf.4242.part", folder / ".batch-99.pdf.4243.part"
    for path in (left_behind, in_progress):
        path.write_bytes(b"%PDF- names and addresses")
    an_hour_ago = time.time() - STALE_TEMPORARY_FILE_SECONDS - 60
    os.utime(left_behind, (an_hour_ago, an_hour_ago))
    assert sweep()["temporary_files"] == 1
    assert not left_behind.exists() and in_progress.exists()
    assert storage.remove_stale_temporary_files(0) == 1 and not in_progress.exists()
