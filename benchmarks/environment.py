"""What the benchmarks run on: a temporary folder, an embedded Redis, and databases of their own.

Everything lives under one temporary folder or in a PostgreSQL database named `bench_<pid>_<name>`, and
is removed when the workspace closes. Nothing here touches `instance/` or any other database.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CONSULTATION_SLUG = "bench-open"
# The shipped consultation the benchmarks copy: made-up callers live in its area (benchmarks/people.py).
SOURCE_SLUG = "lcr-digital-strategy-2021"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Database:
    kind: str  # "SQLite" or "PostgreSQL"
    url: str  # SQLAlchemy URL (postgresql+psycopg:// for PostgreSQL)
    name: str

    @property
    def env_url(self) -> str:
        """The URL as DATABASE_URL takes it."""
        return self.url.replace("postgresql+psycopg://", "postgresql://")


@dataclass
class Workspace:
    """A temporary folder, an embedded Redis and the databases made in it; `close()` removes them all."""

    root: Path
    redis_url: str
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    _redis_server: object = None
    _postgres_names: list[str] = field(default_factory=list)
    _processes: list[subprocess.Popen] = field(default_factory=list)

    @classmethod
    def open(cls) -> Workspace:

        root = Path(tempfile.mkdtemp(prefix="survey-line-bench-"))
        # Any instance folder the app makes or writes (secret key) is ours, not the project's instance/.
        os.environ["SURVEY_LINE_INSTANCE"] = str(root / "instance")
        from service.redis_server import start_embedded_redis

        server, url = start_embedded_redis(root / "redis")
        return cls(root=root, redis_url=url, _redis_server=server)

    def close(self) -> None:
        for process in self._processes:
            stop_process(process)
        for name in self._postgres_names:
            drop_postgres_database(name)
        if self._redis_server is not None:
            from service.redis_server import stop_embedded_redis

            stop_embedded_redis(self._redis_server, save=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def folder(self, name: str) -> Path:
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def database(self, kind: str, name: str) -> Database:
        """A new, empty database: a SQLite file here, or a PostgreSQL database of our own."""
        if kind == "SQLite":
            return Database(kind, f"sqlite:///{self.root / name}.db", name)
        db_name = f"bench_{os.getpid()}_{name}"
        create_postgres_database(db_name)
        self._postgres_names.append(db_name)
        admin = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        return Database(kind, f"{admin}/{db_name}", name)

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    def env(self, database: Database, **extra: str) -> dict[str, str]:
        """Environment for a web or worker process of the service on `database`."""
        env = dict(os.environ)
        env.update(
            SURVEY_LINE_ENV="test",
            SURVEY_LINE_INSTANCE=str(self.folder("instance")),
            SECRET_KEY=self.secret_key,
            DATABASE_URL=database.env_url,
            REDIS_URL=self.redis_url,
            FILE_STORE_DIR=str(self.folder("files")),
            LOG_LEVEL="WARNING",
        )
        env.update(extra)
        return env

    def start(self, args: list[str], env: dict[str, str], log_name: str) -> subprocess.Popen:
        """Start a process of the service (stopped at `close()` if still running); output goes to a log file."""
        log = (self.folder("logs") / log_name).open("ab")
        process = subprocess.Popen(args, env=env, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)
        self._processes.append(process)
        return process

    def log_tail(self, log_name: str, lines: int = 15) -> str:
        path = self.root / "logs" / log_name
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _admin_connection():
    import psycopg

    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)


def postgres_available() -> str | None:
    """None if PostgreSQL answers on 127.0.0.1, else why not."""
    try:
        with _admin_connection() as connection:
            connection.execute("SELECT 1")
    except Exception as error:
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
    return None


def create_postgres_database(name: str) -> None:
    with _admin_connection() as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(name: str) -> None:
    with contextlib.suppress(Exception), _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The app --------------------------------------------------------------------------------------------


def bench_app(workspace: Workspace, database: Database, **config: object) -> Flask:
    """The real app on `database`, migrated with the real migrations, with one open consultation."""
    from service import create_app

    app = create_app(
        {
            "ENV_NAME": "test",
            "SQLALCHEMY_DATABASE_URI": database.url,
            "REDIS_URL": workspace.redis_url,
            "FILE_STORE_DIR": str(workspace.folder("files")),
            "SECRET_KEY": workspace.secret_key,
            "LOG_LEVEL": "WARNING",
            **config,
        }
    )
    return app


def migrate_and_seed(app: Flask) -> int:
    """Run the migrations and add an open consultation on the shipped phone line; return its id."""
    import io

    from flask_migrate import upgrade

    from service.consultations.loading import values_from_facts
    from service.dao.consultations import upsert_consultation
    from service.models.consultations import UK
    from service.models.types import utcnow
    from service.questionnaires.definition import load_consultation_facts

    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):  # alembic's INFO lines; a failure still raises
            upgrade(revision="heads")
        today = utcnow().astimezone(UK).date()
        values = values_from_facts(load_consultation_facts(SOURCE_SLUG))
        values.update(opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=30))
        return upsert_consultation(CONSULTATION_SLUG, values).id


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until `url` answers 200 (or raise, if the process died or time ran out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}) before answering")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def gunicorn(workspace: Workspace, database: Database, **env: str) -> Iterator[str]:
    """The service under gunicorn (the project's gunicorn.conf.py) on a free loopback port; yields its URL."""
    port = free_port()
    process = workspace.start(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "service.wsgi:app"],
        workspace.env(database, HOST="127.0.0.1", PORT=str(port), **env),
        f"gunicorn-{database.name}.log",
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/healthz", process)
        yield url
    finally:
        stop_process(process)
