"""A worker outlives Redis going away in the middle of its work.

rq's worker leaves its loop on an error it did not expect, and Redis refusing connections while a job is
being finished is one: before workers/__main__.py ran workers one after another, the process exited there,
and under `make run` one exited worker stops the whole service (the fault run found both workers gone and
nothing rendered for five minutes after a Redis restart). This restarts a real Redis while a real worker
process renders, and checks that the same process finishes every pack.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select

from service.extensions import db
from service.models import Pack, PaperRequest, RequestStatus
from service.queues import queue
from service.queues.enqueue import render_job_id
from service.redis_server import start_embedded_redis, stop_embedded_redis
from tests.factories import make_consultation, make_request
from tests.worker_processes import WorkerProcess, wait_for

REQUESTS = 60


def count(query) -> int:
    db.session.rollback()  # see what the worker committed since
    return db.session.scalar(query) or 0


def test_a_worker_keeps_working_after_redis_restarts_under_it(app_ctx, database_url, file_store, tmp_path):
    # A Redis of the test's own (also when REDIS_URL names a server): this one we may stop and start again.
    server, url = start_embedded_redis(tmp_path / "redis")
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    consultation = make_consultation()
    ids = [make_request(consultation, name=f"Restart Caller {n}").id for n in range(REQUESTS)]
    packs = queue("packs", server)
    for request_id in ids:
        packs.enqueue("workers.jobs.render_request_packs", request_id, job_id=render_job_id(request_id))
    rendered = select(func.count(Pack.id)).where(Pack.rendered_at.is_not(None), Pack.request_id.in_(ids))
    worker = WorkerProcess(database_url, url, file_store, tmp_path / "worker.log")
    try:
        wait_for(lambda: count(rendered) >= 3, 120, "the worker to be rendering", poll=0.02)
        stop_embedded_redis(server, save=True)  # mid-job: the worker is finishing a render as Redis goes
        time.sleep(3)  # refused for a while, as during a restart
        server, _ = start_embedded_redis(tmp_path / "redis", port=port)
        try:
            wait_for(lambda: count(rendered) == REQUESTS, 240, "every pack rendered after the restart", poll=0.5)
        except AssertionError as error:  # say what the worker did, for the next person to read
            raise AssertionError(f"{error}\n{(tmp_path / 'worker.log').read_text()[-4000:]}") from error
        assert worker.process.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        worker.kill()
        stop_embedded_redis(server, save=False)
    waiting = select(func.count(PaperRequest.id)).where(
        PaperRequest.id.in_(ids), PaperRequest.status == RequestStatus.WAITING_FOR_PACK
    )
    assert count(waiting) == 0
    per_request = db.session.execute(
        select(Pack.request_id, func.count(Pack.id)).where(Pack.request_id.in_(ids)).group_by(Pack.request_id)
    ).all()
    assert sorted(n for _, n in per_request) == [1] * REQUESTS  # one pack each: nothing rendered twice
