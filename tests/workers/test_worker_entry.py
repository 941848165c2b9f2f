"""The Procfile's worker listens on exactly the queues the code defines."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import redis
from rq import Worker

from service.queues import QUEUE_NAMES

ROOT = Path(__file__).resolve().parents[2]


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_procfile_has_web_and_worker():
    processes = procfile()
    assert set(processes) == {"web", "worker"}
    assert processes["web"].startswith("gunicorn ") and "service.wsgi:app" in processes["web"]


def test_the_procfile_worker_listens_on_exactly_the_defined_queues(app, database_url, redis_url, tmp_path):
    connection = redis.Redis.from_url(redis_url)
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=database_url, SURVEY_LINE_ENV="test")
    command = [sys.executable if part == "python" else part for part in shlex.split(procfile()["worker"])]
    output = tmp_path / "worker.log"
    with output.open("wb") as sink:
        worker_process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        workers = []
        while time.monotonic() < deadline and not workers:
            assert worker_process.poll() is None, output.read_text()
            workers = Worker.all(connection=connection)
            time.sleep(0.2)
        assert len(workers) == 1, "the worker never registered with Redis"
        assert sorted(workers[0].queue_names()) == sorted(QUEUE_NAMES)
    finally:
        worker_process.terminate()
        worker_process.wait(timeout=30)
