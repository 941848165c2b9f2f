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


# A render whose process dies between storing its packs' PDFs and the commit that names them (kill -9, a
# power cut): the store keeps a letter with a name and an address that no request points at.
DIES_BEFORE_ITS_COMMIT = """
import os, sys
from service import create_app
import workers.jobs

def killed(*args, **kwargs):
    os._exit(9)

workers.jobs.save_rendered_packs = killed
app = create_app()
with app.app_context():
    workers.jobs.render_request_packs(int(sys.argv[1]))
"""


def _pack_files(file_store) -> set[str]:
    return {path.name for path in (file_store / "packs").glob("*/*.pdf")}


def test_the_sweep_removes_pack_files_a_killed_render_never_named(app, app_ctx, database_url, tmp_path, monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    from service.queues.sweep import UNNAMED_PACK_FILE_SECONDS
    from workers.jobs import render_request_packs

    file_store = tmp_path  # a store of its own: other tests' files are named by rows long emptied
    monkeypatch.setitem(app.config, "FILE_STORE_DIR", str(file_store))
    consultation = make_consultation("unnamed-files")
    kept = make_request(consultation, name="Ada Lovelace")
    render_request_packs(kept.id)
    named = _pack_files(file_store)
    request = make_request(consultation, name="Grace Hopper", copies=2)
    env = dict(os.environ, DATABASE_URL=database_url, FILE_STORE_DIR=str(file_store), SURVEY_LINE_ENV="test",
               REDIS_URL=app.config["REDIS_URL"])  # fmt: skip
    root = Path(__file__).resolve().parents[2]
    died = subprocess.run(
        [sys.executable, "-c", DIES_BEFORE_ITS_COMMIT, str(request.id)], cwd=root, env=env, capture_output=True
    )
    assert died.returncode == 9, died.stderr.decode()
    left = _pack_files(file_store) - named
    assert len(left) == 2  # both copies' letters, named by no row
    assert status_of(request.id) == RequestStatus.WAITING_FOR_PACK

    assert sweep()["unnamed_pack_files"] == 0  # too new to tell from a render still in progress
    an_age_ago = time.time() - UNNAMED_PACK_FILE_SECONDS - 60
    for path in (file_store / "packs").glob("*/*.pdf"):
        os.utime(path, (an_age_ago, an_age_ago))  # the named ones are old too: age alone is not enough
    assert sweep()["unnamed_pack_files"] == 2
    assert _pack_files(file_store) == named

    render_request_packs(request.id)  # the render done again keeps its files
    assert status_of(request.id) == RequestStatus.PACK_READY
    assert len(_pack_files(file_store) - named) == 2
    assert sweep()["unnamed_pack_files"] == 0


def test_a_file_taken_aside_by_a_sweep_goes_back_if_a_render_put_it_there_meanwhile(
    app, app_ctx, tmp_path, monkeypatch
):
    from service.packs.files import remove_unnamed_pack_files, store_pack_pdf

    monkeypatch.setitem(app.config, "FILE_STORE_DIR", str(tmp_path))

    stored = store_pack_pdf(b"%PDF- a letter a render is about to name")
    path = storage.path_for(stored.key)
    held = path.with_name(path.name + ".unnamed")
    os.rename(path, held)  # a sweep stopped just after taking it aside: the file is new, so it goes back
    assert remove_unnamed_pack_files(3600) == 0
    assert path.exists() and not held.exists()

    an_age_ago = time.time() - 7200
    os.utime(path, (an_age_ago, an_age_ago))
    os.rename(path, held)  # an old file no row names, taken aside by a sweep that was then stopped
    assert remove_unnamed_pack_files(3600) == 1
    assert not path.exists() and not held.exists()
