"""Queue throughput: packs rendered per minute by one and by two real worker processes.

Requests are logged through the real dao (each commit queues its render job on Redis, as in service), then
`python -m workers --burst` processes (the one worker entry point: app built once, layouts preloaded, rq
with the JSON serializer) work the queue until it is empty and exit. The rate is taken from the packs'
own `rendered_at` times, first to last, so the workers' start-up (a second or two each) is left out; the
wall time including start-up is kept too.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from benchmarks.environment import Database, Workspace, bench_app, migrate_and_seed, stop_process
from benchmarks.people import people
from benchmarks.requests_setup import create_requests

WORKER_TIMEOUT_SECONDS = 600


@dataclass
class QueueRun:
    database: str
    workers: int  # 0: the jobs called in the benchmark's own process
    packs: int
    rendered: int
    busy_seconds: float  # first pack rendered to last
    wall_seconds: float  # workers started to workers exited

    @property
    def packs_per_minute(self) -> float:
        return (self.rendered - 1) / self.busy_seconds * 60 if self.busy_seconds > 0 else float("nan")


def run_one(workspace: Workspace, database: Database, workers: int, packs: int, say=print) -> QueueRun:
    """On a fresh database: queue `packs` renders, then let `workers` worker processes empty the queue."""
    from sqlalchemy import func, select

    from service.extensions import db
    from service.models import Pack, PaperRequest, RequestStatus

    workspace.flush_redis()
    app = bench_app(workspace, database)
    consultation_id = migrate_and_seed(app)
    with app.app_context():
        create_requests(consultation_id, people(packs, seed=30 + workers))
        db.session.remove()
        db.engine.dispose()
    say(f"  queue ({database.kind}): {packs:,} render jobs queued; {workers} worker process(es) working them")
    env = workspace.env(database)
    started = time.perf_counter()
    processes = [
        workspace.start([sys.executable, "-m", "workers", "--burst"], env, f"worker-{database.name}-{i}.log")
        for i in range(workers)
    ]
    for process in processes:
        try:
            process.wait(timeout=max(1.0, WORKER_TIMEOUT_SECONDS - (time.perf_counter() - started)))
        except Exception:
            stop_process(process)
    wall = time.perf_counter() - started
    with app.app_context():
        first, last, rendered = db.session.execute(
            select(func.min(Pack.rendered_at), func.max(Pack.rendered_at), func.count(Pack.id)).where(
                Pack.rendered_at.is_not(None)
            )
        ).one()
        ready = db.session.scalar(select(func.count()).where(PaperRequest.status == RequestStatus.PACK_READY))
        db.session.remove()
        db.engine.dispose()
    if ready != packs:
        say(f"  queue ({database.kind}): only {ready} of {packs} requests reached 'pack ready'")
    busy = (last - first).total_seconds() if first and last else 0.0
    workspace.flush_redis()
    return QueueRun(database.kind, workers, packs, rendered, busy, wall)


def run_in_process(workspace: Workspace, database: Database, packs: int, say=print) -> QueueRun:
    """The baseline: the same jobs called one after another in this process, no queue and no fork."""
    from service.dao.printing import request_ids_waiting_for_pack
    from service.extensions import db
    from workers.jobs import render_request_packs

    app = bench_app(workspace, database)
    consultation_id = migrate_and_seed(app)
    with app.app_context():
        create_requests(consultation_id, people(packs, seed=30))
        say(f"  queue ({database.kind}): {packs:,} render jobs called in this process (baseline)")
        started = time.perf_counter()
        for request_id in request_ids_waiting_for_pack():
            render_request_packs(request_id)
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    workspace.flush_redis()  # the jobs create_request queued: done here instead
    # Busy time scaled so that packs_per_minute comes out as packs / seconds, like for like with the workers.
    return QueueRun(database.kind, 0, packs, packs, seconds * (packs - 1) / packs, seconds)


def run(workspace: Workspace, kinds: list[str], packs: int, say=print) -> list[QueueRun]:
    """For each database: the in-process baseline, then one worker process, then two."""
    runs = []
    for kind in kinds:
        runs.append(run_in_process(workspace, workspace.database(kind, "queue_0"), packs, say))
        for workers in (1, 2):
            database = workspace.database(kind, f"queue_{workers}")
            runs.append(run_one(workspace, database, workers, packs, say))
    return runs
