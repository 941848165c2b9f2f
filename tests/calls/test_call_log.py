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


def due_boxes(day: str, month: str, year: str, hour: str, minute: str) -> dict[str, str]:
    """The callback's date input as a browser posts it."""
    return {
        "callback_due-day": day,
        "callback_due-month": month,
        "callback_due-year": year,
        "callback_due-hour": hour,
        "callback_due-minute": minute,
    }


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
            {"outcome": "callback_needed", "callback_due-day": "tomorrow", "callback_due-month": "11"},
            "Call back by must include a year, an hour and minutes",
        ),
        (
            {"outcome": "callback_needed", **due_boxes("31", "2", "2027", "10", "00")},
            "Call back by must be a real date",
        ),
        (
            {"outcome": "callback_needed", **due_boxes("1", "1", "0001", "10", "00")},
            "Year must be between 2000 and 2099",
        ),
        (
            {"outcome": "callback_needed", **due_boxes("1", "1", "2020", "10", "00")},
            "Call back by must be in the future",
        ),
        (
            {"outcome": "callback_needed", **due_boxes("1", "1", "2099", "10", "00")},
            "Call back by must be within a year from today",
        ),
        (
            {"outcome": "callback_needed", **due_boxes("1", "1", "2027", "25", "00")},
            "Call back by must be a real time: hours from 0 to 23",
        ),
        ({"outcome": "other", "notes": "z" * 1001}, "Notes must be 1000 characters or fewer"),
    ],
)
def test_bad_call_details_are_explained(client, consultation, handler, fields, message):
    page = log(client, consultation_id=consultation.id, **fields).get_data(as_text=True)
    assert message in page and "There is a problem" in page
    assert db.session.scalar(select(Call)) is None


def test_a_callback_typed_in_boxes_is_read_in_uk_time_and_shown_back_when_wrong(client, consultation, handler):
    when = datetime.now(UK) + timedelta(days=3)
    boxes = due_boxes(f"{when.day}", f"{when:%m}", f"{when.year}", "9", "05")
    assert log(client, consultation_id=consultation.id, outcome="callback_needed", **boxes).status_code == 302
    (call,) = db.session.scalars(select(Call)).all()
    assert call.callback_due_at.astimezone(UK).replace(tzinfo=None) == datetime(when.year, when.month, when.day, 9, 5)

    wrong = boxes | {"callback_due-month": "13"}
    page = log(client, consultation_id=consultation.id, outcome="callback_needed", **wrong).get_data(as_text=True)
    assert "Call back by must be a real date" in page
    assert 'href="#callback_due-month"' in page  # the summary links to the wrong box
    assert re.search(r'id="callback_due-month"[^>]*value="13" aria-invalid="true"', page, re.S)
    assert re.search(r'id="callback_due-day"[^>]*value="' + boxes["callback_due-day"] + '">', page, re.S)


def test_other_format_asks_which_and_carries_it_to_the_request_form(client, consultation, handler):
    page = log(client, consultation_id=consultation.id, outcome="other_format").get_data(as_text=True)
    assert "Select the format the caller asked for" in page and db.session.scalar(select(Call)) is None
    response = log(client, consultation_id=consultation.id, outcome="other_format", requested_format="audio")
    assert re.fullmatch(r"/requests/new\?call=\d+&format=audio", response.headers["Location"])
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'id="format-4"[^>]*value="audio"\s*checked', form)  # audio chosen, not standard print
    paper = log(client, consultation_id=consultation.id, outcome="paper_copy", requested_format="audio")
    assert re.fullmatch(r"/requests/new\?call=\d+", paper.headers["Location"])  # a hidden answer is not carried
