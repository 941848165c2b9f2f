"""Redis and the rq queues. Queue names are constants; the Procfile's worker listens on exactly these."""

from __future__ import annotations

import redis
from flask import current_app

PACKS_QUEUE = "packs"
BATCHES_QUEUE = "batches"
QUEUE_NAMES = (PACKS_QUEUE, BATCHES_QUEUE)


def redis_connection(url: str | None = None) -> redis.Redis:
    """Return a client for the configured Redis (short timeouts: a web request must not hang on it)."""
    url = url or current_app.config["REDIS_URL"]
    if not url:
        raise RuntimeError("REDIS_URL is not set; `make run` starts an embedded Redis and sets it")
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
