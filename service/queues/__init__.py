"""Redis and the rq queues: queue names, putting work on them, and the hook that queues renders after a commit.

Queue names are constants; the Procfile's worker listens on exactly these. Jobs are named by dotted path
(`workers.jobs.render_request_packs`), so nothing here imports the worker code that runs them.
"""

from __future__ import annotations

import redis
from flask import Flask, current_app
from rq import Queue
from rq.serializers import JSONSerializer

PACKS_QUEUE = "packs"
BATCHES_QUEUE = "batches"
SCANS_QUEUE = "scans"
PHONE_QUEUE = "phone"  # texts to callers: seconds each, never behind a long print batch
QUEUE_NAMES = (PACKS_QUEUE, BATCHES_QUEUE, SCANS_QUEUE, PHONE_QUEUE)


def redis_connection(url: str | None = None) -> redis.Redis:
    """Return a client for the configured Redis (short timeouts: a web request must not hang on it)."""
    url = url or current_app.config["REDIS_URL"]
    if not url:
        raise RuntimeError("REDIS_URL is not set; `make run` starts an embedded Redis and sets it")
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def queue(name: str, connection: redis.Redis | None = None) -> Queue:
    return Queue(name, connection=connection or redis_connection(), serializer=JSONSerializer)


def init_app(app: Flask) -> None:
    from service.queues import after_commit

    after_commit.listen()
