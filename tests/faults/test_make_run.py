"""`make run`'s launcher comes back after `kill -9` of its whole process group, and SIGHUP (a closed
terminal) stops everything it started, its embedded Redis included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.environment import free_port
from tests.worker_processes import ROOT, wait_for

pytestmark = pytest.mark.faults


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except OSError:
        return False


def survivors(instance: Path) -> list[int]:
    """Processes still running anything of this instance: its web, worker or Redis."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if (
                str(instance).encode() in environ
                and ("gunicorn" in command or "workers" in command)
                or "redis-server" in command
                and str(instance) in Path(f"/proc/{entry.name}/cwd").resolve().as_posix()
            ):
                found.append(int(entry.name))
    return found


def launch(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "service.launcher"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # as a terminal runs `make run`: a process group to kill at once
        )


def running(url: str, log: Path) -> bool:
    """This run's own web answers: it has said so (an earlier run's web may still be stopping)."""
    return "Survey line is running." in log.read_text(errors="replace") and answers(url)


def test_make_run_comes_back_after_kill_9_and_stops_on_sighup(tmp_path):
    instance = tmp_path / "instance"
    port = free_port()
    env = dict(os.environ, SURVEY_LINE_INSTANCE=str(instance), SURVEY_LINE_ENV="development", PORT=str(port))
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)  # the embedded defaults, as on a fresh machine
    env["WEB_CONCURRENCY"] = "1"
    flask = [sys.executable, "-m", "flask", "--app", "service:create_app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    url = f"http://127.0.0.1:{port}/healthz"

    first = launch(env, tmp_path / "run-1.log")
    wait_for(lambda: running(url, tmp_path / "run-1.log"), 180, "the first start", poll=0.5)
    redis_url = (instance / "redis.url").read_text().strip()
    os.killpg(first.pid, signal.SIGKILL)  # the terminal's whole process group, without warning
    first.wait(30)

    second = launch(env, tmp_path / "run-2.log")
    try:
        wait_for(lambda: running(url, tmp_path / "run-2.log"), 180, "the start after kill -9", poll=0.5)
        assert (instance / "redis.url").read_text().strip() == redis_url  # the same Redis, found again
        os.killpg(second.pid, signal.SIGHUP)  # the terminal closed
        assert second.wait(60) == 0
    finally:
        if second.poll() is None:
            os.killpg(second.pid, signal.SIGKILL)
    time.sleep(1)
    assert not answers(url)
    assert not (instance / "redis.url").exists() and not list((instance / "run").glob("*.pid"))
    assert survivors(instance) == [], (tmp_path / "run-2.log").read_text()[-2000:]

    # A terminal closed while `make run` is still starting (Redis up, the demo data loading): it stops
    # cleanly too, leaving nothing running.
    third = launch(env, tmp_path / "run-3.log")
    try:
        wait_for(lambda: (instance / "redis.url").exists(), 180, "Redis to start", poll=0.05)
        os.killpg(third.pid, signal.SIGHUP)
        assert third.wait(60) == 0, (tmp_path / "run-3.log").read_text()[-2000:]
    finally:
        if third.poll() is None:
            os.killpg(third.pid, signal.SIGKILL)
    assert not (instance / "redis.url").exists() and not list((instance / "run").glob("*.pid"))
    assert survivors(instance) == [], (tmp_path / "run-3.log").read_text()[-2000:]


def restarted(instance: Path, name: str, old_pid: int, log: Path) -> bool:
    """`name` runs again under a new pid, and this run's log says it was started again."""
    pid_file = instance / "run" / f"{name}.pid"
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        return False
    return pid != old_pid and Path(f"/proc/{pid}").exists() and f"The {name} process exited" in log.read_text()


def test_make_run_starts_a_killed_worker_or_web_server_again(tmp_path):
    """An out-of-memory kill of the worker (or the web server) must not take the call handlers' screens down."""
    instance = tmp_path / "instance"
    port = free_port()
    env = dict(os.environ, SURVEY_LINE_INSTANCE=str(instance), SURVEY_LINE_ENV="development", PORT=str(port))
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env["WEB_CONCURRENCY"] = "1"
    flask = [sys.executable, "-m", "flask", "--app", "service:create_app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    url = f"http://127.0.0.1:{port}/healthz"
    log = tmp_path / "run.log"
    run = launch(env, log)
    try:
        wait_for(lambda: running(url, log), 180, "the start", poll=0.5)
        wait_for(lambda: "Worker listening on queues" in log.read_text(), 120, "the worker to listen")
        worker = int((instance / "run" / "worker.pid").read_text())
        os.killpg(worker, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        wait_for(lambda: restarted(instance, "worker", worker, log), 60, "the worker started again", poll=0.2)
        assert answers(url)  # the screens stayed up meanwhile
        wait_for(lambda: log.read_text().count("Worker listening on queues") == 2, 120, "the new worker to listen")
        web = int((instance / "run" / "web.pid").read_text())
        os.killpg(web, signal.SIGKILL)
        wait_for(lambda: restarted(instance, "web", web, log), 60, "the web server started again", poll=0.2)
        wait_for(lambda: answers(url), 120, "the web server to answer again", poll=0.5)
        assert run.poll() is None  # the run goes on
        os.killpg(run.pid, signal.SIGHUP)
        assert run.wait(60) == 0, log.read_text()[-2000:]
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert survivors(instance) == [], log.read_text()[-2000:]
