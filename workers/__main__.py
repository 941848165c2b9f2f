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

from rq import SimpleWorker
from rq.serializers import JSONSerializer

from service import create_app
from service.queues import QUEUE_NAMES, redis_connection
from workers.app import use_app
from workers.housekeeping import Housekeeper

log = logging.getLogger("service.worker")


def preload() -> None:
    """Do the slow one-off work before the first job, so no job pays for it (and forks share it)."""
    from service.dao.consultations import list_consultations
    from service.packs.assemble import consultation_facts
    from service.packs.fonts import register_fonts
    from service.packs.render import pack_layout

    register_fonts()
    for consultation in list_consultations():
        for pack_format in ("standard", "large_print"):
            pack_layout(consultation_facts(consultation), pack_format)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    burst = "--burst" in argv
    app = create_app()
    use_app(app)
    stop = threading.Event()
    with app.app_context():
        preload()
        connection = redis_connection()
    # No app context around the loop: each job pushes its own (workers/app.py), so no database session
    # outlives its job.
    worker = SimpleWorker(list(QUEUE_NAMES), connection=connection, serializer=JSONSerializer)
    if not burst:
        housekeeper = Housekeeper(app, worker.get_current_job_id)
        threading.Thread(target=housekeeper.run, args=(stop,), daemon=True, name="housekeeper").start()
    log.info("Worker listening on queues: %s", ", ".join(QUEUE_NAMES))
    try:
        worker.work(burst=burst, with_scheduler=False, logging_level=app.config["LOG_LEVEL"])
    finally:
        stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
