"""A small timed HTTP client for the service on 127.0.0.1: one keep-alive connection per thread.

Every caller thread and every probe uses this same client, so whatever the client itself costs is the same
for the menu's steps and for the baseline endpoint measured beside them.
"""

from __future__ import annotations

import http.client
import math
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 15.0  # Twilio gives up on a webhook after 15 s


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage | None
    body: str
    ms: float


class LoopbackClient:
    def __init__(self, server_url: str) -> None:
        parts = urlsplit(server_url)
        if parts.hostname != "127.0.0.1":
            raise ValueError("the benchmarks only send traffic to 127.0.0.1")
        self.host, self.port = parts.hostname, parts.port
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
            self._local.connection = connection
        return connection

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        """Send one request and read the whole answer; status 0 means no answer (refused, reset, timed out)."""
        started = time.perf_counter()
        for attempt in (1, 2):
            connection = self._connection()
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                text = response.read().decode("utf-8", errors="replace")
                return Answer(response.status, response.headers, text, (time.perf_counter() - started) * 1000)
            except (http.client.HTTPException, OSError):
                connection.close()
                self._local.connection = None
                # A keep-alive connection the server had closed: try once more on a new one.
                if attempt == 2:
                    return Answer(0, None, "", (time.perf_counter() - started) * 1000)
        raise AssertionError("unreachable")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0-100) of `values`; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))]
