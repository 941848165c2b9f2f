"""Housekeeping that every worker offers, so recovery never depends on one process (rq's scheduler included).

Each worker runs a housekeeper thread. Every few seconds it tells Redis that the job its worker is running
is still alive (so a killed worker's job is known dead within STALE_HEARTBEAT, whatever the job's length),
then tries to take a short lock that any worker can take over once its holder stops renewing it. The
holder moves due scheduled jobs (retries, periodic work) onto their queues, keeps the periodic jobs
scheduled, and runs the sweep: on start, and every SWEEP_SECONDS after.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from datetime import UTC, datetime

from flask import Flask
from redis import Redis
from rq.scheduler import RQScheduler
from rq.serializers import JSONSerializer

from service.queues import QUEUE_NAMES, redis_connection

log = logging.getLogger("service.worker")
LOCK_KEY = "survey-line:housekeeper"
LOCK_SECONDS = 30  # a dead holder's lock is free again after this
TICK_SECONDS = 5
SWEEP_SECONDS = 30
# Renew the lock only if it is still ours: a holder that stalled past LOCK_SECONDS must not take it back.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) end
return 0
"""


class Housekeeper:
    def __init__(self, app: Flask, current_job_id=lambda: None) -> None:
        self.app = app
        self.current_job_id = current_job_id
        self.token = uuid.uuid4().hex
        self.last_sweep: float | None = None

    def holds_lock(self, connection: Redis) -> bool:
        if connection.set(LOCK_KEY, self.token, nx=True, ex=LOCK_SECONDS):
            return True
        return bool(connection.eval(_RENEW, 1, LOCK_KEY, self.token, LOCK_SECONDS))

    def keep_current_job_alive(self, connection: Redis) -> None:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        job_id = self.current_job_id()
        if job_id:
            with contextlib.suppress(NoSuchJobError):
                Job.fetch(job_id, connection=connection, serializer=JSONSerializer).heartbeat(
                    datetime.now(UTC), ttl=LOCK_SECONDS
                )

    def tick(self) -> None:
        """One round: heartbeat, then (if this worker holds the lock) schedule, move due jobs, sweep."""
        from workers.jobs import sweep
        from workers.schedule import ensure_scheduled

        with self.app.app_context():
            connection = redis_connection()
            self.keep_current_job_alive(connection)
            if not self.holds_lock(connection):
                return
            ensure_scheduled(connection)
            move_due_scheduled_jobs(connection)
            if self.last_sweep is None or time.monotonic() - self.last_sweep >= SWEEP_SECONDS:
                sweep()
                self.last_sweep = time.monotonic()

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.tick()
            except Exception as error:  # Redis or the database away for a moment: try again next round
                log.warning("Housekeeping round failed (%s)", type(error).__name__)
            stop.wait(TICK_SECONDS)


def move_due_scheduled_jobs(connection: Redis) -> None:
    """Put scheduled jobs whose time has come (retries after a wait, periodic work) on their queues.

    rq's own scheduler code does the moving; the lock above, not rq's per-process scheduler lock, decides
    who runs it, so a killed scheduler strands nothing.
    """
    scheduler = RQScheduler(list(QUEUE_NAMES), connection=connection, serializer=JSONSerializer)
    scheduler.prepare_registries(list(QUEUE_NAMES))
    scheduler.enqueue_scheduled_jobs()
