"""The one worker entry point: `python -m workers`.

Builds the app once, preloads ReportLab, the fonts and every consultation's pack layout, then runs an
rq worker on exactly the queues named in service.queues. rq's scheduler is not used: every worker runs a
housekeeper thread (workers/housekeeping.py) that keeps its running job's heartbeat and, under a short
lock any worker takes over, moves due scheduled jobs, keeps periodic work scheduled and sweeps for lost
work, so a killed worker, scheduler or flushed Redis recovers by itself.

Jobs run in this process (rq's SimpleWorker), each in an app context of its own: forking a work horse
per job cost about 150 ms, eight times the work of rendering a pack. Long jobs send heartbeats as they
go, so the sweep can still tell a killed worker's job from a slow one.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from redis.exceptions import RedisError
from rq import SimpleWorker
from rq.exceptions import StopRequested
from rq.serializers import JSONSerializer

from service import create_app
from service.queues import QUEUE_NAMES, new_redis_client, redis_connection
from workers.app import use_app
from workers.housekeeping import Housekeeper

log = logging.getLogger("service.worker")


def preload() -> None:
    """Do the slow one-off work before the first job, so no job pays for it (and forks share it)."""
    from service.dao.consultations import list_consultations
    from service.packs.assemble import consultation_facts
    from service.packs.fonts import load_fonts
    from service.packs.render import pack_layout

    load_fonts()
    for consultation in list_consultations():
        for pack_format in ("standard", "large_print"):
            pack_layout(consultation_facts(consultation), pack_format)


RESTART_WAIT_SECONDS = 2


def work_until_stopped(new_worker, current: list[SimpleWorker], *, burst: bool, logging_level: str) -> None:
    """Run rq workers one after another until a stop is asked for (SIGTERM, Ctrl-C) or a burst is done.

    rq's worker leaves its loop on any error it did not expect, and a Redis restarted or cut off while a
    job is being finished is one ("found an unhandled exception, quitting"): the process would then exit,
    and under `make run` one exited worker stops the whole service. So a new worker takes its place once
    Redis answers again; the job that was being finished is the housekeeper's to recover, as after a crash.
    """
    while True:
        worker = new_worker()
        current[:] = [worker]
        try:
            worker.work(burst=burst, with_scheduler=False, logging_level=logging_level)
        except RedisError as error:  # rq's own clean-up needs Redis too
            log.warning("Worker lost Redis (%s)", type(error).__name__)
        if burst or stop_asked(worker):
            return
        log.warning("Worker stopped unexpectedly; starting a new one once Redis answers")
        try:
            wait_for_redis(worker)
        except StopRequested:  # rq's signal handlers are still installed: SIGTERM while waiting stops us
            return
        if stop_asked(worker):
            return


def wait_for_redis(worker: SimpleWorker) -> None:
    time.sleep(RESTART_WAIT_SECONDS)  # never a busy loop, whatever made the worker stop
    while not stop_asked(worker):
        try:
            worker.connection.ping()
            return
        except RedisError:
            time.sleep(RESTART_WAIT_SECONDS)


def stop_asked(worker: SimpleWorker) -> bool:
    """Whether SIGTERM or Ctrl-C reached this worker (rq notes the time of any stop request, busy or idle)."""
    return worker._stop_requested or worker._shutdown_requested_date is not None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    burst = "--burst" in argv
    app = create_app()
    use_app(app)
    stop = threading.Event()
    with app.app_context():
        preload()
        redis_connection()  # says plainly when REDIS_URL is not set
        connection = new_redis_client(app.config["REDIS_URL"])
    # No app context around the loop: each job pushes its own (workers/app.py), so no database session
    # outlives its job.
    current: list[SimpleWorker] = []
    if not burst:
        housekeeper = Housekeeper(app, lambda: current[-1].get_current_job_id() if current else None)
        threading.Thread(target=housekeeper.run, args=(stop,), daemon=True, name="housekeeper").start()
    log.info("Worker listening on queues: %s", ", ".join(QUEUE_NAMES))
    try:
        work_until_stopped(
            lambda: SimpleWorker(list(QUEUE_NAMES), connection=connection, serializer=JSONSerializer),
            current,
            burst=burst,
            logging_level=app.config["LOG_LEVEL"],
        )
    finally:
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
