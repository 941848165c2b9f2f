"""The sign-in limits under parallel attempts, as an attacker would make them: a real gunicorn server (several
worker processes) on the test database and Redis, and clients in processes of their own.

Every failure counts (8 clients x 5 attempts on one account: 40 failed sign-ins recorded, no update lost),
and a limit lets through exactly as many password checks as it allows, however many arrive at once.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from service.dao.staff import get_staff_by_username
from service.extensions import db
from service.models import AuditEvent
from tests.auth.sign_in_clients import try_passwords
from tests.factories import DEFAULT_PASSWORD, make_staff

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 8
ATTEMPTS = 5


@pytest.fixture
def server(app, database_url, redis_url, file_store, tmp_path):
    """gunicorn with 4 worker processes, as the Procfile starts it, behind one (pretend) trusted proxy."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(
        os.environ,
        SURVEY_LINE_ENV="test",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        FILE_STORE_DIR=str(file_store),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="4",
        FORWARDED_PROXIES="1",
        SESSION_COOKIE_SECURE="0",  # plain HTTP on 127.0.0.1, where a client drops Secure cookies
    )
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "service.wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):  # up to two minutes on a busy machine
            try:
                if requests.get(f"{base_url}/healthz", timeout=30).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or its workers still starting
                pass
            assert process.poll() is None, log.read_text()
            time.sleep(0.5)
        else:
            pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def run_clients(base_url: str, plans: list[tuple[str, list[tuple[str, str]]]]) -> list[int]:
    """Run each (address, attempts) plan in a process of its own, all released together; every status."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(len(plans)), context.Queue()
    processes = [
        context.Process(target=try_passwords, args=(base_url, address, attempts, start, results))
        for address, attempts in plans
    ]
    for process in processes:
        process.start()
    statuses = [status for _ in processes for status in results.get(timeout=600)]
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    return statuses


def failures_on(user_id: int | None) -> list[AuditEvent]:
    db.session.rollback()
    query = select(AuditEvent).where(AuditEvent.action == "staff.sign_in_failed")
    if user_id is not None:
        query = query.where(AuditEvent.entity_id == user_id)
    return list(db.session.scalars(query))


def test_eight_clients_five_attempts_each_on_one_account_count_all_forty(app, server):
    with app.app_context():
        user_id = make_staff(username="target").id
    owner = "192.0.2.80"
    assert run_clients(server, [(owner, [("target", DEFAULT_PASSWORD)])]) == [302]  # the owner's usual place
    # Eight machines, five guesses each, all at once.
    plans = [(f"203.0.113.{c + 1}", [("target", f"guess-{c}-{n}") for n in range(ATTEMPTS)]) for c in range(CLIENTS)]
    statuses = run_clients(server, plans)
    assert statuses == [200] * CLIENTS * ATTEMPTS  # one page whatever happened: nothing to tell them apart
    with app.app_context():
        failed = failures_on(user_id)
        assert len(failed) == CLIENTS * ATTEMPTS
        assert get_staff_by_username("target").failed_sign_ins == CLIENTS * ATTEMPTS  # no update lost
        checked = [event for event in failed if not event.details.get("limited")]
        assert len(checked) == app.config["SIGN_IN_ACCOUNT_LIMIT"]  # exactly the limit, however many at once
        assert {event.details["source_address"] for event in failed} == {address for address, _ in plans}
    # Now a new address is held, even with the right password; the owner at their usual place is not.
    assert run_clients(server, [("198.51.100.9", [("target", DEFAULT_PASSWORD)])]) == [200]
    assert run_clients(server, [(owner, [("target", DEFAULT_PASSWORD)])]) == [302]


def test_one_password_against_many_usernames_from_one_address_is_stopped(app, server):
    limit = app.config["SIGN_IN_ADDRESS_LIMIT"]
    with app.app_context():
        for n in range(0, 60, 6):
            make_staff(username=f"staff{n}")
    sprayer = "203.0.113.99"
    names = [f"staff{n}" for n in range(60)]
    plans = [(sprayer, [(name, "Summer2026!!") for name in names[c::4]]) for c in range(4)]
    statuses = run_clients(server, plans)
    assert statuses.count(200) == limit and statuses.count(429) == 60 - limit
    with app.app_context():
        failed = failures_on(None)
        assert len(failed) == 60
        assert len([event for event in failed if not event.details.get("limited")]) == limit  # passwords checked
    # Another address is not held up by it.
    assert run_clients(server, [("192.0.2.81", [("staff0", DEFAULT_PASSWORD)])]) == [302]
