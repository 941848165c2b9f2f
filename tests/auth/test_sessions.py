"""A session ends when it should: sign-out, a password set or changed, and a supervisor's "Sign out
everywhere" end every copy of the session cookie, not only the browser that asked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.auth.session import ENDED_MESSAGE
from service.extensions import db
from service.models import AuditEvent, Role
from tests.conftest import csrf_token
from tests.factories import DEFAULT_PASSWORD

COOKIE = "survey_line_session"


@pytest.fixture
def copy_of(app):
    """Another browser holding a copy of `client`'s session cookie, as someone who copied it would."""

    def copy(client):
        other = app.test_client()
        other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
        assert other.get("/home").status_code == 200  # the copy opens the service, for now
        return other

    return copy


def assert_signed_out(client) -> None:
    for path in ("/home", "/requests"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=")


def test_a_copy_of_the_cookie_taken_before_sign_out_opens_nothing_after(client, staff, copy_of):
    staff.sign_in(Role.CALL_HANDLER)
    stolen = copy_of(client)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/home")})
    first = stolen.get("/requests")
    assert first.status_code == 302 and first.headers["Location"].startswith("/sign-in?next=")
    page = stolen.get(first.headers["Location"]).get_data(as_text=True)
    assert ENDED_MESSAGE in page and "Sign in to continue" not in page  # one plain message
    assert_signed_out(stolen)
    assert_signed_out(client)


def test_setting_a_password_ends_every_session(app, client, staff, copy_of):
    staff.sign_in(Role.DATA_ENTRY, username="keyer9")
    stolen = copy_of(client)
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "keyer9",
            "--name",
            "K",
            "--role",
            "data_entry",
            "--password",
            "plum kettle orbit lantern",
        ]
    )
    assert result.exit_code == 0, result.output
    assert_signed_out(stolen)
    assert_signed_out(client)


def test_changing_your_own_password_ends_your_other_sessions_and_keeps_this_one(client, staff, copy_of):
    staff.sign_in(Role.CALL_HANDLER)
    stolen = copy_of(client)
    token = csrf_token(client, "/password")
    new = "plum kettle orbit lantern"
    client.post(
        "/password",
        data={"current_password": DEFAULT_PASSWORD, "new_password": new, "confirm_password": new, "csrf_token": token},
    )
    assert client.get("/home").status_code == 200
    assert_signed_out(stolen)


def test_a_supervisor_signs_someone_out_everywhere(app, client, staff, copy_of):
    handler = app.test_client()
    handler_id = type(staff)(app, handler).sign_in(Role.CALL_HANDLER)
    stolen = copy_of(handler)
    supervisor_id = staff.sign_in(Role.SUPERVISOR)
    confirm = client.get(f"/staff/{handler_id}/sign-out-everywhere").get_data(as_text=True)
    assert "out everywhere?" in confirm and "Every session of this account ends at once" in confirm
    token = csrf_token(client, f"/staff/{handler_id}/sign-out-everywhere")
    done = client.post(f"/staff/{handler_id}/sign-out-everywhere", data={"csrf_token": token})
    assert done.status_code == 302 and "has been signed out everywhere" in client.get("/staff").get_data(True)
    assert_signed_out(handler)
    assert_signed_out(stolen)
    assert client.get("/home").status_code == 200  # the supervisor carries on
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "staff.signed_out_everywhere"))
        assert (event.actor_id, event.entity_type, event.entity_id) == (supervisor_id, "staff_user", handler_id)
