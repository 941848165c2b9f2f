"""The queue screen for supervisors: queued, running, scheduled and failed jobs, with a retry action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry
from rq.serializers import JSONSerializer

from service.auth import role_required
from service.dao import transactional
from service.dao.audit import record_audit
from service.jobs import bp
from service.models import Role
from service.queues import QUEUE_NAMES, queue, redis_connection

SHOWN = 50


@dataclass(frozen=True)
class JobRow:
    id: str
    function: str
    args: str
    state: str
    when: datetime | None
    error: str


def _row(job: Job, state: str) -> JobRow:
    error = ""
    if state == "failed" and job.exc_info:
        # The last line names the error; the traceback stays out of the screen.
        error = job.exc_info.strip().splitlines()[-1][:300]
    return JobRow(
        id=job.id,
        function=(job.func_name or "").rsplit(".", 1)[-1].replace("_", " "),
        args=", ".join(str(a) for a in (job.args or ())),
        state=state,
        when=job.ended_at or job.started_at or job.enqueued_at,
        error=error,
    )


def _jobs(ids: list[str], state: str, connection) -> list[JobRow]:
    rows = []
    for job in Job.fetch_many(ids[:SHOWN], connection=connection, serializer=JSONSerializer):
        if job is not None:
            rows.append(_row(job, state))
    return rows


@bp.get("")
@role_required(Role.SUPERVISOR)
def index():
    connection = redis_connection()
    queues = []
    for name in QUEUE_NAMES:
        q = queue(name, connection)
        started = StartedJobRegistry(name, connection=connection, serializer=JSONSerializer)
        scheduled = ScheduledJobRegistry(name, connection=connection, serializer=JSONSerializer)
        failed = FailedJobRegistry(name, connection=connection, serializer=JSONSerializer)
        queues.append(
            {
                "name": name,
                "queued": _jobs(q.get_job_ids(0, SHOWN), "queued", connection),
                "queued_count": q.count,
                "running": _jobs(started.get_job_ids(), "running", connection),
                "scheduled_count": scheduled.count,
                "failed": _jobs(failed.get_job_ids(), "failed", connection),
                "failed_count": failed.count,
            }
        )
    return render_template("jobs/index.html", queues=queues)


@transactional
def _audit_retry(job_id: str) -> None:
    record_audit(current_user.id, "job.retried", "job", None, job=job_id)


@bp.post("/<queue_name>/failed/<job_id>/retry")
@role_required(Role.SUPERVISOR)
def retry(queue_name: str, job_id: str):
    if queue_name not in QUEUE_NAMES:
        abort(404)
    connection = redis_connection()
    registry = FailedJobRegistry(queue_name, connection=connection, serializer=JSONSerializer)
    try:
        registry.requeue(job_id)
    except (NoSuchJobError, ValueError):
        flash("That job is no longer in the failed list.", "info")
        return redirect(url_for("jobs.index"))
    _audit_retry(job_id)
    flash("Job queued again.", "success")
    return redirect(url_for("jobs.index"))
