"""Signing in and out, throttling, roles and the staff CLI."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from service.auth.passwords import verify_password
from service.dao.staff import get_staff_by_username
from service.extensions import db
from service.models import AuditEvent, Role
from service.models.types import utcnow
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD, make_staff


def _sign_in(client, username, password):
    return client.post(
        "/sign-in", data={"username": username, "password": password, "csrf_token": csrf_token(client, "/sign-in")}
    )


def test_sign_in_then_out(app, client):
    with app.app_context():
        make_staff(Role.CALL_HANDLER, username="amira", display_name="Amira Khan")
    response = _sign_in(client, "amira", DEFAULT_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    home = client.get("/home").get_data(as_text=True)
    assert "Amira Khan" in home and "Log a paper-copy request" in home
    sign_out = client.post(
        "/sign-out", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)}
    )
    assert sign_out.headers["Location"] == "/sign-in"
    assert client.get("/home").status_code == 302  # back to sign-in


def test_session_cookie_is_secure_and_http_only(app, client):
    with app.app_context():
        make_staff(username="cookie")
    response = _sign_in(client, "cookie", DEFAULT_PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("survey_line_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_says_so_and_keeps_the_username(app, client):
    with app.app_context():
        make_staff(username="bea")
    response = _sign_in(client, "bea", "not-the-password")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The username or password is not right" in page
    assert 'value="bea"' in page
    assert "not-the-password" not in page  # a password is never echoed back


def test_empty_fields_get_messages_beside_them(client):
    page = client.post(
        "/sign-in", data={"username": "", "password": "", "csrf_token": csrf_token(client, "/sign-in")}
    ).get_data(as_text=True)
    assert 'id="username-error"' in page and "Enter your username" in page
    assert 'id="password-error"' in page and "Enter your password" in page
    assert "There is a problem" in page


def test_a_form_without_its_csrf_token_is_refused(app, client):
    with app.app_context():
        make_staff(username="csrf")
    response = client.post("/sign-in", data={"username": "csrf", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


def test_repeated_failures_are_slowed_then_locked(app, client):
    with app.app_context():
        make_staff(username="target")
    for _ in range(app.config["SIGN_IN_SLOW_AFTER"]):
        assert "not right" in _sign_in(client, "target", "wrong-guess").get_data(as_text=True)
    with app.app_context():
        # The wait is 2 seconds from the last failure; on a busy machine the next attempt can take longer
        # than that to arrive, so the last failure is moved to "a moment from now" rather than timed.
        user = get_staff_by_username("target")
        user.last_failed_sign_in_at = utcnow() + timedelta(seconds=30)
        db.session.commit()
    slowed = _sign_in(client, "target", DEFAULT_PASSWORD)  # even the right password waits
    assert slowed.status_code == 429
    assert "Wait" in slowed.get_data(as_text=True)
    with app.app_context():
        user = get_staff_by_username("target")
        # Pretend the waits passed, then keep failing until the lock.
        for _ in range(app.config["SIGN_IN_LOCK_AFTER"] - user.failed_sign_ins):
            user.last_failed_sign_in_at -= timedelta(minutes=5)
            db.session.commit()
            _sign_in(client, "target", "wrong-guess")
            db.session.refresh(user)
        assert user.locked_until is not None
        user.last_failed_sign_in_at -= timedelta(minutes=5)
        db.session.commit()
    locked = _sign_in(client, "target", DEFAULT_PASSWORD)
    assert "locked" in locked.get_data(as_text=True)
    assert client.get("/home").status_code == 302  # still not signed in
    with app.app_context():
        failures = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.sign_in_failed")).all()
        assert len(failures) >= app.config["SIGN_IN_LOCK_AFTER"]


def test_unknown_usernames_get_the_same_message(client):
    page = _sign_in(client, "nobody-here", "whatever-it-is").get_data(as_text=True)
    assert "The username or password is not right" in page


def test_next_only_follows_paths_on_this_site(app, client):
    with app.app_context():
        make_staff(username="nextuser")
    token = csrf_token(client, "/sign-in")
    response = client.post(
        "/sign-in?next=https://evil.example/",
        data={"username": "nextuser", "password": DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/home"


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (Role.DATA_ENTRY, "/requests/new", 403),
        (Role.DATA_ENTRY, "/calls", 403),
        (Role.CALL_HANDLER, "/audit", 403),
        (Role.CALL_HANDLER, "/requests/new", 200),
        (Role.SUPERVISOR, "/requests/new", 200),
        (Role.SUPERVISOR, "/audit", 200),
    ],
)
def test_screens_outside_your_role_answer_a_clear_403(staff, client, role, path, status):
    staff.sign_in(role)
    response = client.get(path)
    assert response.status_code == status
    if status == 403:
        assert "You do not have access to this page" in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/requests/new")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=")


def test_idle_sessions_end(app, staff, client):
    staff.sign_in(Role.CALL_HANDLER)
    assert client.get("/home").status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] -= app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() + 1
    response = client.get("/home")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_cli_creates_a_user_with_a_hashed_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "newbie",
            "--name",
            "New Person",
            "--role",
            "data_entry",
            "--password",
            "a-long-enough-secret",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created newbie (Data entry)" in result.output
    with app.app_context():
        user = get_staff_by_username("newbie")
        assert user.role == Role.DATA_ENTRY
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, "a-long-enough-secret")


def test_cli_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "shorty", "--name", "S", "--role", "supervisor", "--password", "short"]
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
