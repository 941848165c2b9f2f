"""The sign-in limits, one attempt at a time (tests/auth/test_throttle_processes.py runs them in parallel
against a real server): per username and address, per address, per username from new addresses; one
message whatever went wrong; attempts recorded on the account, not as done by its owner."""

from __future__ import annotations

import re

import pytest
import redis
from sqlalchemy import select

from service.dao.staff import get_staff_by_username
from service.extensions import db
from service.models import AuditEvent, Role
from service.sign_in.routes import ADDRESS_STOPPED, NOT_RIGHT, sign_in_problem
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD, make_staff


@pytest.fixture
def sign_in_from(client):
    """Try a sign-in from a given address (a fresh session each time, as a script would)."""

    def attempt(username: str, password: str, address: str = "198.51.100.1"):
        client.delete_cookie("survey_line_session")
        environ = {"REMOTE_ADDR": address}
        page = client.get("/sign-in", environ_base=environ).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = {"username": username, "password": password, "csrf_token": token}
        return client.post("/sign-in", data=data, environ_base=environ)

    return attempt


def problem(response) -> str:
    found = re.search(r'<div class="error-summary".*?<a href="#username">(.*?)</a>', response.get_data(True), re.S)
    return found.group(1) if found else ""


def failures(user_id: int | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "staff.sign_in_failed").order_by(AuditEvent.id)
    if user_id is not None:
        query = query.where(AuditEvent.entity_id == user_id)
    return list(db.session.scalars(query))


def test_a_wrong_password_an_unknown_name_and_a_locked_account_get_one_message(app, sign_in_from):
    with app.app_context():
        make_staff(username="amira")
    wrong = sign_in_from("amira", "not-the-password")
    unknown = sign_in_from("nobody-here", "not-the-password")
    for _ in range(app.config["SIGN_IN_LOCK_AFTER"]):
        sign_in_from("amira", "still-not-it")
    locked = sign_in_from("amira", DEFAULT_PASSWORD)  # the right password, from the locked address
    with app.test_request_context():
        assert problem(wrong) == problem(unknown) == problem(locked) == sign_in_problem(NOT_RIGHT)
    assert wrong.status_code == unknown.status_code == locked.status_code == 200


def test_a_lock_holds_one_address_not_the_owner_elsewhere(app, client, sign_in_from):
    with app.app_context():
        make_staff(username="bea")
    for _ in range(app.config["SIGN_IN_LOCK_AFTER"]):
        sign_in_from("bea", "wrong-guess", "203.0.113.9")
    assert "not right" in problem(sign_in_from("bea", DEFAULT_PASSWORD, "203.0.113.9"))  # locked there
    owner = sign_in_from("bea", DEFAULT_PASSWORD, "192.0.2.44")  # the owner, at their own desk
    assert owner.status_code == 302 and owner.headers["Location"] == "/home"
    # Signing in elsewhere does not unlock the attacker's address.
    assert "not right" in problem(sign_in_from("bea", DEFAULT_PASSWORD, "203.0.113.9"))


def test_one_password_against_many_usernames_from_one_address_is_stopped(app, sign_in_from):
    limit = app.config["SIGN_IN_ADDRESS_LIMIT"]
    with app.app_context():
        make_staff(username="real")
    answers = [sign_in_from(f"user{n}", "Summer2026!!", "203.0.113.50").status_code for n in range(limit + 5)]
    assert answers == [200] * limit + [429] * 5
    stopped = sign_in_from("real", DEFAULT_PASSWORD, "203.0.113.50")  # even a right password, from there
    with app.test_request_context():
        assert stopped.status_code == 429 and problem(stopped) == sign_in_problem(ADDRESS_STOPPED)
    assert sign_in_from("real", DEFAULT_PASSWORD, "192.0.2.7").status_code == 302  # elsewhere: fine
    with app.app_context():
        assert len(failures()) == limit + 6


def test_an_ipv6_address_is_limited_by_its_64(app, sign_in_from):
    limit = app.config["SIGN_IN_ADDRESS_LIMIT"]
    answers = [sign_in_from(f"user{n}", "Summer2026!!", f"2001:db8:1:2::{n:x}").status_code for n in range(limit + 1)]
    assert answers[-1] == 429
    assert sign_in_from("user1", "Summer2026!!", "2001:db8:1:3::1").status_code == 200


def test_guessing_from_many_addresses_holds_new_addresses_but_not_the_owners(app, sign_in_from):
    with app.app_context():
        make_staff(username="cai")
    assert sign_in_from("cai", DEFAULT_PASSWORD, "192.0.2.10").status_code == 302  # the owner's usual place
    for n in range(app.config["SIGN_IN_ACCOUNT_LIMIT"]):
        sign_in_from("cai", "wrong-guess", f"198.51.100.{n + 1}")  # a few tries from each of many addresses
    assert "not right" in problem(sign_in_from("cai", DEFAULT_PASSWORD, "198.51.100.200"))  # held: new address
    assert sign_in_from("cai", DEFAULT_PASSWORD, "192.0.2.10").status_code == 302  # the owner gets in


def test_failed_sign_ins_are_attempts_on_the_account_with_the_address(app, sign_in_from):
    with app.app_context():
        user_id = make_staff(username="dee").id
    sign_in_from("dee", "wrong-guess", "203.0.113.77")
    sign_in_from("no-such-name", "wrong-guess", "203.0.113.78")
    with app.app_context():
        on_dee, on_nobody = failures()
        assert (on_dee.actor_id, on_dee.entity_type, on_dee.entity_id) == (None, "staff_user", user_id)
        assert on_dee.details == {"source_address": "203.0.113.77"}
        assert (on_nobody.actor_id, on_nobody.entity_id) == (None, None)
        assert "no-such-name" not in str(on_nobody.details)  # a mistyped name may be a password
        assert get_staff_by_username("dee").failed_sign_ins == 1


def test_a_supervisor_sees_and_unlocks_a_locked_account(app, client, staff, sign_in_from):
    with app.app_context():
        user_id = make_staff(username="eve", display_name="Eve Example").id
    for _ in range(app.config["SIGN_IN_LOCK_AFTER"]):
        sign_in_from("eve", "wrong-guess", "203.0.113.5")
    client.delete_cookie("survey_line_session")
    supervisor_id = staff.sign_in(Role.SUPERVISOR)
    listing = client.get("/staff").get_data(as_text=True)
    row = re.search(r"<tr>\s*<td>Eve Example</td>.*?</tr>", listing, re.S).group(0)
    assert "Locked" in row and "at 1 address" in row and f">{app.config['SIGN_IN_LOCK_AFTER']} " in row
    confirm = client.get(f"/staff/{user_id}/unlock").get_data(as_text=True)
    assert "Unlock Eve Example&#39;s account?" in confirm
    token = csrf_token(client, f"/staff/{user_id}/unlock")
    assert client.post(f"/staff/{user_id}/unlock", data={"csrf_token": token}).status_code == 302
    row = re.search(r"<tr>\s*<td>Eve Example</td>.*?</tr>", client.get("/staff").get_data(True), re.S).group(0)
    assert "Locked" not in row
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.unlocked"))
        assert (event.actor_id, event.entity_id) == (supervisor_id, user_id)
    assert sign_in_from("eve", DEFAULT_PASSWORD, "203.0.113.5").status_code == 302


def test_the_counts_expire_by_themselves(app, sign_in_from):
    sign_in_from("fay", "wrong-guess", "203.0.113.6")
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    keys = list(connection.scan_iter(match="sign-in:*"))
    assert len(keys) == 3 and all(connection.ttl(key) > 0 for key in keys)


def test_only_supervisors_open_staff_accounts(client, staff):
    staff.sign_in(Role.CALL_HANDLER)
    assert client.get("/staff").status_code == 403
