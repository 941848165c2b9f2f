"""Signing in and out, roles and the staff CLI (the limits: test_throttle.py; sessions: test_sessions.py)."""

from __future__ import annotations

import re

import pytest

from service.auth.passwords import verify_password
from service.dao.staff import get_staff_by_username
from service.models import Role
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
