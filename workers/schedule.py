"""Periodic work: each periodic job is kept scheduled in Redis under a fixed id.

Every worker's housekeeper (workers/housekeeping.py) calls `ensure_scheduled` and moves due jobs onto their
queues, under a lock any worker takes over, so a fresh start or a flushed Redis gets its schedule back
within seconds. The sweep is not here: the housekeeper runs it itself, so it never waits on a queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.serializers import JSONSerializer

from service.models.consultations import UK
from service.queues import BATCHES_QUEUE, queue
from service.queues.enqueue import job_is_live

# When to run next, given now and when the last run ended (None: no record of one, e.g. Redis flushed).
NextRun = Callable[[datetime, datetime | None], datetime]


@dataclass(frozen=True)
class Periodic:
    name: str
    function: str
    queue_name: str
    next_run: NextRun


def every(seconds: int) -> NextRun:
    """`seconds` after the last run ended; at once when there is no record of one."""

    def next_run(now: datetime, last_ended: datetime | None) -> datetime:
        return max(now, last_ended + timedelta(seconds=seconds)) if last_ended else now

    return next_run


def daily_at(setting: str) -> NextRun:
    """The next time of day (UK time) named by the setting `setting`, e.g. PRINT_RUN_AT = "16:00"."""

    def next_run(now: datetime, last_ended: datetime | None) -> datetime:
        at = time.fromisoformat(current_app.config[setting])
        local = now.astimezone(UK)
        candidate = datetime.combine(local.date(), at, tzinfo=UK)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=UK)
        return candidate.astimezone(UTC)

    return next_run


PERIODIC = (
    Periodic("print-run", "workers.jobs.print_run", BATCHES_QUEUE, daily_at("PRINT_RUN_AT")),
    Periodic("provider-statuses", "workers.jobs.refresh_provider_statuses", BATCHES_QUEUE, every(600)),
    Periodic("retention", "workers.jobs.erase_expired_personal_data", BATCHES_QUEUE, daily_at("RETENTION_RUN_AT")),
)


def periodic_job_id(name: str) -> str:
    return f"periodic-{name}"


def _last_ended(job_id: str, connection: Redis) -> datetime | None:
    try:
        ended = Job.fetch(job_id, connection=connection, serializer=JSONSerializer).ended_at
    except NoSuchJobError:
        return None
    return ended.replace(tzinfo=UTC) if ended and ended.tzinfo is None else ended


def ensure_scheduled(connection: Redis, now: datetime | None = None) -> list[str]:
    """Schedule each periodic job that has no live job; return the names scheduled."""
    now = now or datetime.now(UTC)
    scheduled = []
    for periodic in PERIODIC:
        job_id = periodic_job_id(periodic.name)
        if job_is_live(job_id, connection):
            continue
        when = periodic.next_run(now, _last_ended(job_id, connection))
        queue(periodic.queue_name, connection).enqueue_at(when, periodic.function, job_id=job_id, job_timeout=600)
        scheduled.append(periodic.name)
    return scheduled
