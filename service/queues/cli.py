"""`flask print sweep`: do now what every worker's housekeeper does every 30 seconds."""

from __future__ import annotations

import click
import redis
from flask import current_app
from flask.cli import with_appcontext

from service.queues.sweep import requeue_due_work


@click.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Re-queue due work that has no live job.

    Pack renders and batch builds the database says are due but Redis has no live job for (after Redis was
    flushed or a worker was killed); also removes temporary print files a killed builder left. Every worker
    does this every 30 seconds.
    """
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException(
            "No Redis to queue on: start `make run` (the command then finds its Redis) or set REDIS_URL."
        )
    try:
        counts = requeue_due_work()
    except redis.ConnectionError:
        raise click.ClickException("Redis is not answering: is `make run` (or the REDIS_URL server) running?") from None
    click.echo(f"Re-queued {counts['renders']} render(s) and {counts['builds']} batch build(s).")
