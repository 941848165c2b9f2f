"""The call log and the callback list."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Call, CallOutcome, Role
from service.models.consultations import UK
from tests.conftest import csrf_token
from tests.factories import make_consultation


@pytest.fixture
def consultation(app_ctx):
    return make_consultation("calls")


@pytest.fixture
def handler(staff):
    return staff.sign_in(Role.CALL_HANDLER)


def log(client, **fields):
    data = {
        "consultation_id": "",
        "caller_name": "",
        "caller_phone": "",
        "outcome": "",
        "callback_due": "",
        "notes": "",
    }
    data.update(fields)
    data["csrf_token"] = csrf_token(client, "/calls/new")
    return client.post("/calls/new", data=data)


def test_a_question_answered_is_logged_with_handler_time_and_notes(client, consultation, handler):
    response = log(client, consultation_id=consultation.id, outcome="question_answered", notes="Asked when it closes")
    assert response.status_code == 302 and response.headers["Location"] == "/calls"
    (call,) = db.session.scalars(select(Call)).all()
    assert call.handler_id == handler and call.outcome == CallOutcome.QUESTION_ANSWERED and call.caller_id is None
    page = client.get("/calls").get_data(as_text=True)
    assert "Question answered" in page and "Asked when it closes" in page


def test_callback_needed_needs_a_time_and_keeps_what_was_typed(client, consultation, handler):
    page = log(
        client,
        consultation_id=consultation.id,
        outcome="callback_needed",
        caller_name="Joe Bloggs",
        notes="Wants to talk about broadband",
    ).get_data(as_text=True)
    assert "Enter the date and time to call back by" in page
    assert 'value="Joe Bloggs"' in page and "Wants to talk about broadband" in page
    assert db.session.scalar(select(Call)) is None


def test_a_callback_stays_on_the_list_until_marked_done(client, consultation, handler):
    due = (datetime.now(UK) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    log(
        client,
        consultation_id=consultation.id,
        outcome="callback_needed",
        caller_name="Joe Bloggs",
        caller_phone="0151 330 1249",
        callback_due=due,
    )
    (call,) = db.session.scalars(select(Call)).all()
    assert call.callback_due_at.astimezone(UK).strftime("%Y-%m-%dT%H:%M") == due
    listing = client.get("/calls/callbacks").get_data(as_text=True)
    assert "Joe Bloggs" in listing and "0151 330 1249" in listing
    token = re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)
    client.post(f"/calls/{call.id}/callback-done", data={"csrf_token": token})
    assert "There are no callbacks waiting" in client.get("/calls/callbacks").get_data(as_text=True)
    db.session.refresh(call)
    assert call.callback_done_by_id == handler and call.callback_done_at is not None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"outcome": ""}, "Select what the call was about"),
        ({"outcome": "complaint", "caller_phone": "999"}, "Enter a UK phone number"),
        (
            {"outcome": "callback_needed", "callback_due": "tomorrow-ish"},
            "Enter the date and time to call back by, like",
        ),
        ({"outcome": "other", "notes": "z" * 1001}, "Notes must be 1000 characters or fewer"),
    ],
)
def test_bad_call_details_are_explained(client, consultation, handler, fields, message):
    page = log(client, consultation_id=consultation.id, **fields).get_data(as_text=True)
    assert message in page and "There is a problem" in page
    assert db.session.scalar(select(Call)) is None
