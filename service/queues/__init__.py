"""Redis and the rq queues: queue names, putting work on them, and the hook that queues renders after a commit.

Queue names are constants; the Procfile's worker listens on exactly these. Jobs are named by dotted path
(`workers.jobs.render_request_packs`), so nothing here imports the worker code that runs them.
"""

from __future__ import annotations

import os
import threading

import redis
from flask import Flask, current_app
from rq import Queue
from rq.serializers import JSONSerializer

PACKS_QUEUE = "packs"
BATCHES_QUEUE = "batches"
SCANS_QUEUE = "scans"
PHONE_QUEUE = "phone"  # texts to callers: seconds each, never behind a long print batch
QUEUE_NAMES = (PACKS_QUEUE, BATCHES_QUEUE, SCANS_QUEUE, PHONE_QUEUE)


# One client (and so one connection pool) per Redis URL per process. rq keeps a reference to the
# connection every queued job was given, so a fresh client per call left one socket open per enqueue:
# one process logging 10,000 requests filled Redis's client limit. Keyed by pid too, because a client
# made before a fork must not be shared with the child.
_clients: dict[tuple[str, int], redis.Redis] = {}
_clients_lock = threading.Lock()


def new_redis_client(url: str) -> redis.Redis:
    """A client of its own, for a worker's main loop: rq raises its pool's socket timeout to wait on the
    queues, which this process's shared client (web requests, jobs, the housekeeper) must not inherit."""
    # Named by process, so Redis's CLIENT LIST says whose each connection is (a leak is found by its pid).
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5, client_name=client_name())


def client_name() -> str:
    """The name this process's Redis connections carry."""
    return f"survey-line-{os.getpid()}"


def redis_connection(url: str | None = None) -> redis.Redis:
    """Return this process's client for the configured Redis (short timeouts: a web request must not hang)."""
    url = url or current_app.config["REDIS_URL"]
    if not url:
        raise RuntimeError("REDIS_URL is not set; `make run` starts an embedded Redis and sets it")
    key = (url, os.getpid())
    client = _clients.get(key)
    if client is None:
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = new_redis_client(url)
                _clients[key] = client
    return client


def queue(name: str, connection: redis.Redis | None = None) -> Queue:
    return Queue(name, connection=connection or redis_connection(), serializer=JSONSerializer)


def init_app(app: Flask) -> None:
    from service.queues import after_commit

    after_commit.listen()
