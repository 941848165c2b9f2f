"""Real worker processes for reliability tests: started as the Procfile starts them, killed like a crash."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class WorkerProcess:
    def __init__(
        self,
        database_url: str,
        redis_url: str,
        file_store: Path,
        log: Path,
        *args: str,
        env: dict[str, str] | None = None,
    ) -> None:
        env = dict(
            os.environ,
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            FILE_STORE_DIR=str(file_store),
            SURVEY_LINE_ENV="test",
            **(env or {}),
        )
        self.log = log
        with log.open("ab") as sink:
            # A session of its own, so killing the group takes rq's work horse down with it.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "workers", *args],
                cwd=ROOT,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL the worker and its work horse: no clean-up, as in a crash or an OOM kill."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait(self, timeout: float = 120) -> int:
        return self.process.wait(timeout=timeout)


def wait_for(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise AssertionError(f"timed out waiting for {what}")
