"""Putting work on the queues: job ids, retries and timeouts are chosen here, where jobs are enqueued.

Job ids are derived from the row they work on, so the sweep can ask "is there a live job for this?"
and enqueuing the same work twice never queues it twice: rq's own `unique` enqueue refuses an id whose job
is still stored, and only then "is it live? if not, forget it and enqueue" runs, under a short Redis lock per
job id (SET NX).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from flask import current_app
from redis import Redis
from rq import Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from service.queues import BATCHES_QUEUE, PACKS_QUEUE, PHONE_QUEUE, SCANS_QUEUE, queue, redis_connection

log = logging.getLogger(__name__)
# A started job whose worker has not said it is alive for this long is taken to be dead (worker killed).
# Every worker's housekeeper renews its running job's heartbeat every few seconds, however long the job.
STALE_HEARTBEAT = timedelta(seconds=30)
_LIVE = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
# A worker marks a job it has taken as started within milliseconds; one still only "queued" in the hand-over
# list this long after the sweep first saw it there was lost with a Redis that went away (see _in_a_queue).
HANDOVER_GRACE = timedelta(seconds=5)
# How long one enqueuer may hold a job id's lock: far longer than the few milliseconds it needs, short
# enough that a web process killed while holding it delays nothing for long.
ENQUEUE_LOCK_SECONDS = 10


def render_job_id(request_id: int) -> str:
    return f"render-request-{request_id}"


def batch_job_id(batch_id: int) -> str:
    return f"build-batch-{batch_id}"


def _stored_job(job_id: str, connection: Redis) -> Job | None:
    try:
        return Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
    except NoSuchJobError:
        return None


def job_is_live(job_id: str, connection: Redis) -> bool:
    """Say whether a job with this id is queued, scheduled, or running on a worker that is still alive."""
    job = _stored_job(job_id, connection)
    return job is not None and _is_live(job, connection)


def _is_live(job: Job, connection: Redis) -> bool:
    status = job.get_status(refresh=False)
    if status == JobStatus.QUEUED:
        return _in_a_queue(job, connection)
    if status in _LIVE:
        return True
    if status == JobStatus.STARTED:
        heartbeat = job.last_heartbeat
        if heartbeat is None:
            return True
        heartbeat = heartbeat if heartbeat.tzinfo else heartbeat.replace(tzinfo=UTC)
        return datetime.now(UTC) - heartbeat < STALE_HEARTBEAT
    return False


def _in_a_queue(job: Job, connection: Redis) -> bool:
    """Whether a job that says "queued" will still be taken by a worker.

    rq hands a job to a worker by moving its id from the queue to the queue's hand-over ("intermediate")
    list; the worker then marks it started. A Redis that goes away between the two (a restart, which brings
    back its last save) leaves a job that says "queued" in no queue at all, or stuck in the hand-over list,
    and no worker will ever take it; rq's own clean-up of that list looks every ten minutes at best. So a
    queued job is live while its id is in its queue, or has been in the hand-over list only a moment (a
    worker is starting it); otherwise it is taken out of the list and counts as lost, for the sweep.
    """
    waiting = queue(job.origin, connection)
    if connection.lpos(waiting.key, job.id) is not None:
        return True
    if connection.lpos(waiting.intermediate_queue_key, job.id) is None:
        return _started_meanwhile(job)
    seen = f"survey-line:handed-over:{job.id}"
    connection.set(seen, time.time(), nx=True, ex=int(HANDOVER_GRACE.total_seconds() * 30))
    first_seen = float(connection.get(seen) or time.time())
    if time.time() - first_seen < HANDOVER_GRACE.total_seconds() or _started_meanwhile(job):
        return True
    connection.lrem(waiting.intermediate_queue_key, 0, job.id)
    connection.delete(seen)
    log.warning("Job %s was lost on its way to a worker; it will be queued again", job.id)
    return False


def _started_meanwhile(job: Job) -> bool:
    """A worker took the job and marked it started since its status was read: it is live, not lost."""
    try:
        return job.get_status(refresh=True) == JobStatus.STARTED
    except NoSuchJobError:
        return False


def _put_on_queue(
    queue_name: str, func: str, job_id: str, args: tuple, timeout: int, retry: Retry | None, connection: Redis
) -> bool:
    """rq's unique enqueue: one atomic step that queues the job, or refuses (False) if the id holds one."""
    try:
        queue(queue_name, connection).enqueue(
            func,
            *args,
            job_id=job_id,
            job_timeout=timeout,
            retry=retry,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
            unique=True,
        )
    except DuplicateJobError:
        return False
    return True


def _enqueue(
    queue_name: str, func: str, job_id: str, *args, timeout: int, retry: Retry | None, connection: Redis | None = None
) -> bool:
    connection = connection or redis_connection()
    job_on_queue = (queue_name, func, job_id, args, timeout, retry, connection)
    # An id no job holds (a request just logged: the caller is still on the line) is queued straight away;
    # the lock and the read below cost three more round trips to Redis. This never deletes anything, so it
    # cannot undo what a locked enqueuer below is doing.
    if _put_on_queue(*job_on_queue):
        return True
    lock = f"survey-line:enqueuing:{job_id}"
    if not connection.set(lock, "1", nx=True, ex=ENQUEUE_LOCK_SECONDS):
        return False  # someone is enqueuing this very job now
    try:
        # The id holds a job: one read says whether to keep it or forget it.
        job = _stored_job(job_id, connection)
        if job is not None:
            if _is_live(job, connection):
                return False
            job.delete()  # finished, failed or dead: the id is queued afresh
        return _put_on_queue(*job_on_queue)
    finally:
        connection.delete(lock)


def enqueue_render(request_id: int, connection: Redis | None = None) -> bool:
    """Queue the render job for one request (unless one is already live)."""
    return _enqueue(
        PACKS_QUEUE,
        "workers.jobs.render_request_packs",
        render_job_id(request_id),
        request_id,
        timeout=current_app.config["RENDER_JOB_TIMEOUT_SECONDS"],
        retry=Retry(max=3, interval=[5, 30, 120]),
        connection=connection,
    )


def enqueue_batch_build(batch_id: int, connection: Redis | None = None) -> bool:
    """Queue the job that writes one batch's PDF."""
    return _enqueue(
        BATCHES_QUEUE,
        "workers.jobs.build_print_batch",
        batch_job_id(batch_id),
        batch_id,
        timeout=current_app.config["BATCH_JOB_TIMEOUT_SECONDS"],
        retry=Retry(max=2, interval=[30, 120]),
        connection=connection,
    )


def enqueue_send_to_provider(request_id: int, connection: Redis | None = None) -> bool:
    """Queue sending one request's packs to the print provider that has them."""
    return _enqueue(
        BATCHES_QUEUE,
        "workers.jobs.send_request_to_provider",
        f"provider-send-{request_id}",
        request_id,
        timeout=120,
        retry=Retry(max=5, interval=[30, 120, 600, 1800, 3600]),
        connection=connection,
    )


def delivery_job_id(request_id: int) -> str:
    return f"deliver-request-{request_id}"


def enqueue_delivery(request_id: int, connection: Redis | None = None) -> bool:
    """Queue sending a ready braille or audio request's files by email or text."""
    return _enqueue(
        PHONE_QUEUE,
        "workers.jobs.deliver_accessible_files",
        delivery_job_id(request_id),
        request_id,
        timeout=120,
        retry=Retry(max=4, interval=[30, 120, 600, 1800]),
        connection=connection,
    )


def enqueue_forget_delivery_text(delivery_id: int, connection: Redis | None = None) -> bool:
    """Queue deleting Twilio's copy of a download link's text (it holds the number and the link)."""
    return _enqueue(
        PHONE_QUEUE,
        "workers.jobs.forget_delivery_text",
        f"forget-delivery-text-{delivery_id}",
        delivery_id,
        timeout=120,
        retry=Retry(max=5, interval=[60, 300, 1800, 3600, 3600]),
        connection=connection,
    )


def scan_job_id(scan_id: int) -> str:
    return f"read-scan-{scan_id}"


def enqueue_scan_read(scan_id: int, connection: Redis | None = None) -> bool:
    """Queue reading one uploaded scan (a retry carries on after the pages already read)."""
    return _enqueue(
        SCANS_QUEUE,
        "workers.jobs.read_scan",
        scan_job_id(scan_id),
        scan_id,
        timeout=current_app.config["SCAN_JOB_TIMEOUT_SECONDS"],
        retry=Retry(max=2, interval=[30, 120]),
        connection=connection,
    )


def text_job_id(text_id: int) -> str:
    return f"send-text-{text_id}"


def enqueue_send_text(text_id: int, connection: Redis | None = None) -> bool:
    """Queue sending one text with the reference. Each retry looks the text up at Twilio before sending."""
    return _enqueue(
        PHONE_QUEUE,
        "workers.jobs.send_reference_text",
        text_job_id(text_id),
        text_id,
        timeout=120,
        retry=Retry(max=3, interval=[15, 60, 300]),
        connection=connection,
    )


def enqueue_forget_text(text_id: int, connection: Redis | None = None) -> bool:
    """Queue deleting Twilio's copy of an erased caller's text."""
    return _enqueue(
        PHONE_QUEUE,
        "workers.jobs.forget_text_at_twilio",
        f"forget-text-{text_id}",
        text_id,
        timeout=120,
        retry=Retry(max=5, interval=[60, 300, 1800, 3600, 3600]),
        connection=connection,
    )


def enqueue_print_run(actor_id: int | None = None, connection: Redis | None = None) -> bool:
    """Queue a print run now (a supervisor's "print run now")."""
    return _enqueue(
        BATCHES_QUEUE,
        "workers.jobs.print_run",
        f"print-run-{datetime.now(UTC):%Y%m%d%H%M%S}",
        actor_id,
        timeout=600,
        retry=None,
        connection=connection,
    )


def enqueue_after_commit(what: str, ids: set[int], enqueue) -> None:
    """After a commit: queue the work it made due; if Redis is away, the sweep queues it later."""
    if not current_app.config["REDIS_URL"]:
        log.info("No Redis configured yet; the sweep will queue %s %s job(s) when a worker starts", len(ids), what)
        return
    for row_id in sorted(ids):
        try:
            enqueue(row_id)
        except Exception as error:  # never fail the person's request because the queue is down
            log.warning("Could not queue the %s job for %s (%s); the sweep will", what, row_id, type(error).__name__)


def enqueue_pending_renders(request_ids: set[int]) -> None:
    """After a commit: queue the renders it made due. If Redis is away, the sweep queues them later."""
    if not current_app.config["REDIS_URL"]:
        # No Redis yet (demo data loaded before `make run` starts one): a worker's first sweep queues them.
        log.info("No Redis configured yet; the sweep will queue %s render(s) when a worker starts", len(request_ids))
        return
    for request_id in sorted(request_ids):
        try:
            enqueue_render(request_id)
        except Exception as error:  # never fail the person's request because the queue is down
            log.warning(
                "Could not queue the render for request %s (%s); the sweep will queue it when Redis is back",
                request_id,
                type(error).__name__,
            )
