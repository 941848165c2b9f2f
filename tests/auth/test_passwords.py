"""Passwords as the NCSC advises: 12 characters or more, not on a deny list of common and breached passwords,
not built from the username or the service's name, and no composition rules. Checked wherever one is set."""

from __future__ import annotations

import re

import pytest

from service.auth.password_policy import (
    HAS_SERVICE_NAME,
    HAS_USERNAME,
    TOO_COMMON,
    TOO_SHORT,
    deny_list_size,
    password_problem,
)
from service.auth.passwords import hash_password, verify_password
from service.dao.staff import create_staff, get_staff_by_username
from service.models import Role
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD, make_consultation


def test_the_deny_list_is_offline_and_holds_over_100000_passwords():
    assert deny_list_size() >= 100_000


@pytest.mark.parametrize("password", ["password1234", "123456789012", "qwertyuiop12", "PASSWORD1234", "iloveyou1234"])
def test_the_issues_twelve_character_passwords_are_refused_as_common(password):
    assert password_problem(password, "amira") == TOO_COMMON


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-one", TOO_SHORT),
        ("amira-is-my-name-99", HAS_USERNAME),
        ("khanKHANkhan-2024", HAS_USERNAME),  # the display name counts as much as the username
        ("SurveyLine2024!", HAS_SERVICE_NAME),
        ("survey line 1234", HAS_SERVICE_NAME),
        ("Consultation#2026", HAS_SERVICE_NAME),
    ],
)
def test_passwords_built_from_the_username_or_the_service_are_refused(password, reason):
    assert password_problem(password, "amira", "Amira Khan") == reason


@pytest.mark.parametrize(
    "password",
    [
        "plum kettle orbit lantern",  # three or four random words: no capital, digit or symbol needed
        "all lower case and long enough",
        "my consultation cat likes jazz",  # a service word inside a longer password of your own is fine
    ],
)
def test_no_composition_rules(password):
    assert password_problem(password, "amira", "Amira Khan") is None


def _sign_in(client, username, password):
    token = csrf_token(client, "/sign-in")
    return client.post("/sign-in", data={"username": username, "password": password, "csrf_token": token})


def _change(client, current, new, again=None):
    token = csrf_token(client, "/password")
    data = {"current_password": current, "new_password": new, "confirm_password": again or new, "csrf_token": token}
    return client.post("/password", data=data)


def test_a_weak_new_password_is_refused_beside_the_field_with_the_reason(app, client, staff):
    staff.sign_in(Role.CALL_HANDLER, username="bea")
    response = _change(client, DEFAULT_PASSWORD, "password1234")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'<p class="error-message" id="new_password-error">(.*?)</p>', page, re.S)
    assert error and "list of common passwords" in error.group(1)
    assert 'href="#new_password"' in page  # and in the summary at the top
    assert "password1234" not in page  # never echoed back
    with app.app_context():
        make_consultation()  # "Liverpool City Region ... Digital Strategy": its words count as the service's
    page = _change(client, DEFAULT_PASSWORD, "Digital-Strategy-2026").get_data(as_text=True)
    assert "must not be based on the name of this service" in page
    page = _change(client, "not-my-password", "plum kettle orbit lantern").get_data(as_text=True)
    assert 'id="current_password-error"' in page and "current password is not right" in page
    page = _change(client, DEFAULT_PASSWORD, "plum kettle orbit lantern", "plum kettle orbit lanter").get_data(True)
    assert 'id="confirm_password-error"' in page


def test_changing_your_password(app, client, staff):
    staff.sign_in(Role.CALL_HANDLER, username="cal")
    response = _change(client, DEFAULT_PASSWORD, "plum kettle orbit lantern")
    assert response.status_code == 302 and response.headers["Location"] == "/home"
    assert "Your password has been changed" in client.get("/home").get_data(as_text=True)
    with app.app_context():
        user = get_staff_by_username("cal")
        assert verify_password(user.password_hash, "plum kettle orbit lantern")
        assert not verify_password(user.password_hash, DEFAULT_PASSWORD)


@pytest.mark.parametrize("password", ["password1234", "123456789012", "qwertyuiop12"])
def test_the_cli_refuses_a_common_password_with_the_reason(app, password):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "newbie", "--name", "N", "--role", "supervisor", "--password", password]
    )
    assert result.exit_code != 0 and "list of common passwords" in result.output
    with app.app_context():
        assert get_staff_by_username("newbie") is None


def test_the_cli_refuses_the_same_when_resetting(app):
    with app.app_context():
        create_staff("reset", "Reset Me", Role.DATA_ENTRY, hash_password(DEFAULT_PASSWORD))
    result = app.test_cli_runner().invoke(
        args=["users", "create", "reset", "--name", "Reset Me", "--role", "data_entry", "--password", "SurveyLine2024!"]
    )
    assert result.exit_code != 0 and "name of this service" in result.output


def test_demo_passwords_sign_in_in_development_only(app, client, monkeypatch):
    with app.app_context():
        create_staff("supervisor", "Sam Supervisor (demo)", Role.SUPERVISOR, hash_password("try-the-supervisor"))
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    refused = _sign_in(client, "supervisor", "try-the-supervisor")
    assert refused.status_code == 200 and "The username or password is not right" in refused.get_data(True)
    monkeypatch.setitem(app.config, "ENV_NAME", "development")
    assert _sign_in(client, "supervisor", "try-the-supervisor").status_code == 302
