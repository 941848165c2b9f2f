"""`make faults`: real worker processes and a real Redis attacked at random points while requests are
rendered, batched, cancelled and posted; then the counts that say whether anything was lost or doubled.

Faults: `kill -9` of a worker's whole process group (a new worker is started in its place), `kill -9` of
one gunicorn web process (its master starts another) and of the whole web server (started again), Redis
flushed, Redis restarted (embedded Redis) or every Redis client cut off (a Redis server), and every
PostgreSQL connection of the service terminated (PostgreSQL only). Each kind comes once, in a random order,
before the rest are drawn at random. Meanwhile a call handler logs requests through the real form on that
gunicorn (`benchmarks/fault_web.py`), sending a POST that got no answer again with the same one-time form
key; the other requests are created directly. Between faults a supervisor runs print runs, cancels batches
(building or ready) and marks ready batches sent to print and posted. After the last fault the run waits
for the service to settle by itself, then counts:

- requests without a pack (a copy never rendered),
- requests the handler was told were saved that are not there, callers saved twice by a resent POST, POSTs
  never answered, and answers of 500 or more,
- packs in no holding batch, and packs in two holding batches for the same print round,
- batch files whose page count differs from the database (or from the packs in them),
- how long the service took to recover after each fault (until a job completed again), and after the last.

The seed is printed; `--seed N` replays a run's choices (the timing of real processes still varies).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.environment import Workspace, bench_app, migrate_and_seed, postgres_available
from benchmarks.fault_web import HandlerAtTheForm, OneTryClient, WebOutcome, WebServer, web_counts
from benchmarks.people import people

SETTLE_TIMEOUT_SECONDS = 300


@dataclass
class Fault:
    kind: str
    at: float  # seconds since the start
    recovered_after: float | None = None  # seconds until a job completed again


@dataclass
class FaultReport:
    seed: int
    database: str
    requests: int
    faults: list[Fault] = field(default_factory=list)
    without_pack: int = 0
    in_no_batch: int = 0
    in_two_batches: int = 0
    page_count_mismatches: int = 0
    batches_built: int = 0
    batches_cancelled: int = 0
    workers_exited: int = 0  # workers that stopped by themselves: nothing would start them again
    settled_after_last_fault: float | None = None
    web: WebOutcome = field(default_factory=WebOutcome)
    web_missing: int = 0  # answered "saved", but not in the database as that caller's request
    web_saved_twice: int = 0  # callers with two requests: a resent POST saved again
    # The fault before each 5xx answer: a connection cut under a request in flight fails that request (the
    # handler sends it again with its form key); any other fault before a 5xx is a defect.
    server_errors_after: list[str] = field(default_factory=list)

    @property
    def worst_recovery(self) -> float | None:
        times = [f.recovered_after for f in self.faults if f.recovered_after is not None]
        unrecovered = any(f.recovered_after is None for f in self.faults)
        return None if unrecovered or not times else max(times)

    def lines(self) -> list[str]:
        def seconds(value: float | None) -> str:
            return "did not recover" if value is None else f"{value:.1f} s"

        kinds: dict[str, int] = {}
        for fault in self.faults:
            kinds[fault.kind] = kinds.get(fault.kind, 0) + 1
        return [
            f"Fault run on {self.database}, seed {self.seed} (replay: make faults FAULT_ARGS='--seed {self.seed}')",
            f"  requests                                  {self.requests}",
            f"  faults                                    {len(self.faults)} ("
            + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            + ")",
            f"  batches built / cancelled                 {self.batches_built} / {self.batches_cancelled}",
            f"  requests logged through gunicorn          {len(self.web.callers)} "
            f"({self.web.resent} POSTs sent again with the same form key, {self.web.answers_lost} after a lost answer)",
            f"  saved-answered requests not there         {self.web_missing}",
            f"  callers saved twice                       {self.web_saved_twice}",
            f"  POSTs never answered / answers of 5xx     {self.web.unanswered} / {self.web.server_errors}",
            f"  requests without a pack                   {self.without_pack}",
            f"  packs in no holding batch                 {self.in_no_batch}",
            f"  packs in two holding batches              {self.in_two_batches}",
            f"  batch files with a wrong page count       {self.page_count_mismatches}",
            f"  workers that exited without being killed  {self.workers_exited}",
            f"  worst time to recover from one fault      {seconds(self.worst_recovery)}",
            f"  time to settle after the last fault       {seconds(self.settled_after_last_fault)}"
            + (" (and the handler's last request)" if self.web.callers else ""),
        ]

    @property
    def clean(self) -> bool:
        return (
            self.without_pack == self.in_no_batch == self.in_two_batches == self.page_count_mismatches == 0
            and self.workers_exited == 0
            and self.web_missing == self.web_saved_twice == self.web.unanswered == self.web.server_errors == 0
            and not self.web.refused
            and self.worst_recovery is not None
            and self.settled_after_last_fault is not None
            and self.settled_after_last_fault < 120
        )


class Service:
    """The worker processes and the Redis under attack."""

    def __init__(self, workspace: Workspace, database_url: str, redis_restart: Callable[[], None] | None) -> None:
        from tests.worker_processes import WorkerProcess

        self.workspace, self.database_url, self.redis_restart = workspace, database_url, redis_restart
        self._make = lambda n: WorkerProcess(
            database_url,
            workspace.redis_url,
            workspace.folder("files"),
            workspace.folder("logs") / f"worker-{n}.log",
            env={
                "BATCH_CHUNK_PACKS": "20",
                "LOG_LEVEL": "WARNING",
                "SURVEY_LINE_INSTANCE": str(workspace.folder("instance")),
            },
        )
        self.started = 0
        self.exited = 0  # found gone before we killed them: a real service would have lost them
        self.workers = [self._new_worker(), self._new_worker()]

    def _new_worker(self):
        self.started += 1
        return self._make(self.started)

    def kill_worker(self, rng: random.Random) -> None:
        victim = rng.randrange(len(self.workers))
        self.exited += self.workers[victim].process.poll() is not None
        self.workers[victim].kill()  # kill -9 of its whole process group
        self.workers[victim] = self._new_worker()

    def stop(self) -> None:
        for worker in self.workers:
            self.exited += worker.process.poll() is not None
            worker.kill()


def _counts(report: FaultReport, file_store: Path) -> None:
    """Fill in the report's counts from the database and the batch files."""
    from pypdf import PdfReader
    from sqlalchemy import func, select

    from service.extensions import db
    from service.models import BatchItem, BatchStatus, Pack, PrintBatch
    from service.models.printing import HOLDING_STATUSES

    db.session.rollback()
    packs = db.session.scalars(select(Pack).where(Pack.request_id.is_not(None))).all()
    report.without_pack = len({p.request_id for p in packs if p.rendered_at is None})
    holding = dict(
        db.session.execute(
            select(BatchItem.pack_id, func.count())
            .join(Pack, Pack.id == BatchItem.pack_id)
            .where(BatchItem.batch_status.in_(HOLDING_STATUSES), BatchItem.print_round == Pack.print_round)
            .group_by(BatchItem.pack_id)
        ).all()
    )
    report.in_no_batch = sum(1 for p in packs if holding.get(p.id, 0) == 0)
    report.in_two_batches = sum(1 for p in packs if holding.get(p.id, 0) > 1)
    batches = db.session.scalars(select(PrintBatch)).all()
    report.batches_cancelled = sum(1 for b in batches if b.status == BatchStatus.CANCELLED)
    built = [b for b in batches if b.status in (BatchStatus.READY, BatchStatus.SENT_TO_PRINT, BatchStatus.POSTED)]
    report.batches_built = len(built)
    pages_of = dict(db.session.execute(select(Pack.id, Pack.page_count)).all())
    for batch in built:
        pack_ids = db.session.scalars(select(BatchItem.pack_id).where(BatchItem.batch_id == batch.id)).all()
        expected = 2 + sum(pages_of[p] or 0 for p in pack_ids)  # the cover sheet, then every pack whole
        path = file_store / (batch.file_key or "missing")
        actual = len(PdfReader(str(path)).pages) if path.exists() else -1
        report.page_count_mismatches += int(not (actual == batch.page_count == expected))


def _progress() -> tuple[int, int]:
    """(packs rendered, batches built): what a completed job moves on."""
    from sqlalchemy import func, select

    from service.extensions import db
    from service.models import Pack, PrintBatch

    db.session.rollback()
    rendered = db.session.scalar(select(func.count(Pack.id)).where(Pack.rendered_at.is_not(None))) or 0
    built = db.session.scalar(select(func.count(PrintBatch.id)).where(PrintBatch.built_at.is_not(None))) or 0
    return rendered, built


def _settled() -> bool:
    """Every request rendered and batched, every batch built (a print run is asked for as needed)."""
    from sqlalchemy import func, select

    from service.extensions import db
    from service.models import BatchStatus, PaperRequest, PrintBatch, RequestStatus
    from service.queues.enqueue import enqueue_print_run

    db.session.rollback()
    waiting = db.session.scalar(
        select(func.count(PaperRequest.id)).where(
            PaperRequest.status.in_([RequestStatus.WAITING_FOR_PACK, RequestStatus.PACK_READY])
        )
    )
    building = db.session.scalar(select(func.count(PrintBatch.id)).where(PrintBatch.status == BatchStatus.BUILDING))
    ready_to_batch = db.session.scalar(
        select(func.count(PaperRequest.id)).where(PaperRequest.status == RequestStatus.PACK_READY)
    )
    if ready_to_batch and not building:
        with contextlib.suppress(Exception):
            enqueue_print_run()
    return waiting == 0 and building == 0


def _supervise(rng: random.Random) -> None:
    """What a supervisor does between faults: a print run, a cancel, sending to print, posting."""
    from sqlalchemy import select

    from service.dao.printing import cancel_batch, mark_batch_posted, mark_batch_sent_to_print
    from service.extensions import db
    from service.models import BatchStatus, IllegalTransition, PrintBatch
    from service.queues.enqueue import enqueue_print_run

    db.session.rollback()
    action = rng.choice(["print run", "print run", "cancel", "send and post"])
    with contextlib.suppress(Exception):
        if action == "print run":
            enqueue_print_run()
            return
        wanted = [BatchStatus.BUILDING, BatchStatus.READY] if action == "cancel" else [BatchStatus.READY]
        batches = db.session.scalars(select(PrintBatch).where(PrintBatch.status.in_(wanted))).all()
        if not batches:
            return
        batch = rng.choice(batches)
        try:
            if action == "cancel":
                cancel_batch(batch, None, "Fault run")
            else:
                mark_batch_sent_to_print(batch, None, "Fault run")
                mark_batch_posted(batch, batch.created_at.date(), None, "Fault run")
        except IllegalTransition:
            db.session.rollback()  # the builder or another action got there first: that is the point


def run_faults(
    workspace: Workspace,
    database,
    *,
    requests: int,
    faults: int,
    seed: int,
    redis_restart: Callable[[], None] | None,
    web_requests: int = 0,
    say: Callable[[str], None] = print,
) -> FaultReport:
    """Create `requests` requests (`web_requests` of them through gunicorn's form), attack, settle, count."""
    from benchmarks.request_form import add_handler
    from benchmarks.requests_setup import create_requests
    from service.extensions import db

    rng = random.Random(seed)
    app = bench_app(workspace, database)
    consultation_id = migrate_and_seed(app)
    report = FaultReport(seed=seed, database=database.kind, requests=requests)
    kinds = ["kill worker", "flush Redis", "restart Redis" if redis_restart else "cut Redis clients off"]
    if web_requests:
        kinds += ["kill web process", "kill web server"]
    if database.kind == "PostgreSQL":
        kinds.append("cut database connections")
    # Every kind once, in an order of the seed's choosing, then any; "kill worker" twice as often.
    schedule = rng.sample(kinds, len(kinds)) + [rng.choice([*kinds, "kill worker"]) for _ in range(faults)]
    with app.app_context():
        create_requests(consultation_id, people(requests - web_requests, seed=seed))
        add_handler()
        service = Service(workspace, database.env_url, redis_restart)
        web = WebServer(workspace, database) if web_requests else None
        # Paced to last about as long as the faults do (a fault every 1.75 s on average, plus recovery).
        pace = faults * 3.0 / max(web_requests, 1)
        handler = HandlerAtTheForm(web, consultation_id, web_requests, seed, pace) if web else None
        probe = OneTryClient(web.url) if web else None
        started = time.monotonic()
        try:
            if handler:
                handler.start()
            for n, kind in enumerate(schedule[:faults]):
                time.sleep(rng.uniform(0.5, 3.0))
                _supervise(rng)
                before = _progress()
                _inflict(kind, rng, service, web, workspace, redis_restart)
                fault = Fault(kind, time.monotonic() - started)
                report.faults.append(fault)
                say(f"  fault {n + 1:>2}/{faults} at {fault.at:6.1f} s: {kind}")
                # Recovered when the web answers again and a job completes (a pack rendered or a batch
                # built), or there is no work left.
                deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
                while time.monotonic() < deadline:
                    if (web is None or web.answers(probe)) and (_progress() != before or _settled()):
                        fault.recovered_after = time.monotonic() - started - fault.at
                        break
                    time.sleep(0.25)
            if handler:  # the handler logs the rest of its requests; the service settles after the last
                handler.join(SETTLE_TIMEOUT_SECONDS)
            last = time.monotonic()
            deadline = last + SETTLE_TIMEOUT_SECONDS
            while time.monotonic() < deadline:
                if _settled():
                    report.settled_after_last_fault = time.monotonic() - last
                    break
                time.sleep(0.5)
        finally:
            if handler:
                handler.stopping.set()
            if web:
                web.stop()
            service.stop()
            report.workers_exited = service.exited
        if handler:
            if handler.error is not None:
                raise handler.error
            report.web = handler.outcome
            report.requests = requests - web_requests + len(handler.outcome.callers)
            report.web_missing, report.web_saved_twice = web_counts(handler.outcome)
            for at in handler.outcome.server_errors_at:
                after = [f for f in report.faults if f.at <= at - started]
                report.server_errors_after.append(after[-1].kind if after else "no fault")
                say(f"  a 5xx answer at {at - started:6.1f} s, after: {report.server_errors_after[-1]}")
            if handler.outcome.server_errors:
                errors = [line for line in _log_lines(workspace, "gunicorn.log") if "Error" in line or "error" in line]
                say("\n".join(["  what gunicorn logged:", *errors[-20:]]))
        _counts(report, workspace.folder("files"))
        db.session.remove()
        db.engine.dispose()
    return report


def _inflict(kind: str, rng: random.Random, service: Service, web: WebServer | None, workspace, redis_restart) -> None:
    import redis
    from sqlalchemy import text

    from service.extensions import db

    if kind == "kill worker":
        service.kill_worker(rng)
    elif kind == "kill web process":
        web.kill_worker(rng)
    elif kind == "kill web server":
        web.kill_and_restart()
    elif kind == "flush Redis":
        redis.Redis.from_url(workspace.redis_url).flushdb()
    elif kind == "restart Redis":
        redis_restart()
    elif kind == "cut Redis clients off":  # a Redis server we may not restart
        cut_redis_clients(workspace.redis_url)
    else:
        db.session.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        db.session.commit()


def _log_lines(workspace: Workspace, name: str) -> list[str]:
    path = workspace.folder("logs") / name
    return path.read_text(errors="replace").splitlines() if path.exists() else []


def cut_redis_clients(redis_url: str) -> int:
    """Close every connection to `redis_url`'s database but this one (a shared server's others are left be)."""
    import redis

    server = redis.Redis.from_url(redis_url)
    ours = server.connection_pool.connection_kwargs.get("db", 0)
    me = server.client_id()
    cut = 0
    for client in server.client_list(_type="normal"):
        if int(client["db"]) == ours and int(client["id"]) != me:
            cut += server.client_kill_filter(_id=client["id"])
    return cut


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make faults", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--faults", type=int, default=20)
    parser.add_argument(
        "--web-requests",
        type=int,
        default=None,
        help="of the requests, how many go through gunicorn (default: a fifth)",
    )
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument(
        "--redis-url",
        default="",
        help="a Redis server's database to use (flushed; its clients cut off) instead of an embedded Redis",
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    workspace = Workspace.open()
    reports = []
    try:
        kinds = [] if args.no_sqlite else ["SQLite"]
        if not args.no_postgres and postgres_available() is None:
            kinds.append("PostgreSQL")

        restart: Callable[[], None] | None = None

        def restart_redis() -> None:
            from service.redis_server import start_embedded_redis, stop_embedded_redis

            port = int(workspace.redis_url.rsplit(":", 1)[1].split("/")[0])
            stop_embedded_redis(workspace._redis_server, save=True)
            workspace._redis_server, _ = start_embedded_redis(workspace.root / "redis", port=port)

        if args.redis_url:
            workspace.redis_url = args.redis_url
        else:
            restart = restart_redis
        for n, kind in enumerate(kinds):
            redis_said = args.redis_url or "an embedded Redis"
            print(f"{kind} and {redis_said}: {args.requests} requests, {args.faults} faults, seed {seed}", flush=True)
            database = workspace.database(kind, f"faults{n}")
            workspace.flush_redis()
            report = run_faults(
                workspace,
                database,
                requests=args.requests,
                faults=args.faults,
                seed=seed,
                redis_restart=restart,
                web_requests=args.requests // 5 if args.web_requests is None else args.web_requests,
                say=lambda line: print(line, flush=True),
            )
            reports.append(report)
            print("\n".join(report.lines()), flush=True)
    finally:
        workspace.close()
    return 0 if all(r.clean for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
