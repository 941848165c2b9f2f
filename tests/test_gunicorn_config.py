"""gunicorn as the Procfile starts it: a download that streams for longer than the worker timeout arrives
whole (a sync worker was killed part way, and the file arrived cut short with no error)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.web_slow_download import CHUNKS

ROOT = Path(__file__).resolve().parent.parent


def test_a_download_longer_than_the_worker_timeout_arrives_whole(app, database_url, redis_url, file_store, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, SURVEY_LINE_ENV="test", DATABASE_URL=database_url, REDIS_URL=redis_url,
               FILE_STORE_DIR=str(file_store), HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="1",
               WEB_TIMEOUT="2")  # fmt: skip
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "tests.web_slow_download:app"],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if requests.get(f"{base_url}/healthz", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None, log.read_text()
            time.sleep(0.5)
        body = requests.get(f"{base_url}/test-only/slow-download", timeout=60).text  # 4 s against a 2 s timeout
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    assert body.splitlines() == [f"row {n}" for n in range(CHUNKS)], log.read_text()
    assert "WORKER TIMEOUT" not in log.read_text()
