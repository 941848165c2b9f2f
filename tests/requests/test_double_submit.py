"""A double click on "Save request", or a POST retried on a slow line, saves one request, not two: the
form's one-time key finds the first, and the duplicate check holds when two forms arrive at once."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.models import Call, FormKey, PaperRequest, Role
from tests.conftest import IsolatedClient, csrf_token
from tests.factories import make_consultation, make_staff
from tests.requests.test_log_request import answers

PAIRS = 30


@pytest.fixture
def two_handlers(app):
    """Two signed-in browsers (two handlers, as on a busy line), each with its own session."""
    app.test_client_class = IsolatedClient
    clients = []
    with app.app_context():
        users = [make_staff(Role.CALL_HANDLER) for _ in range(2)]
        names = [u.username for u in users]
    for name in names:
        client = app.test_client()
        token = csrf_token(client, "/sign-in")
        response = client.post(
            "/sign-in", data={"username": name, "password": "correct-horse-battery", "csrf_token": token}
        )
        assert response.status_code == 302
        clients.append(client)
    return clients


def form_key(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="form_key" value="([^"]+)"', page)
    assert match, f"no form key on {path}"
    return match.group(1)


def at_once(posts) -> list:
    """Send each post from its own thread, released together."""
    barrier = threading.Barrier(len(posts))
    responses: list = [None] * len(posts)

    def run(i, post):
        barrier.wait()
        responses[i] = post()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def requests_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(PaperRequest.id)))


def test_the_same_form_submitted_twice_at_once_saves_one_request(app, two_handlers):
    with app.app_context():
        consultation_id = make_consultation().id
    first, second = two_handlers
    for n in range(PAIRS):
        data = answers(type("C", (), {"id": consultation_id}), name=f"Caller {n}", address_line_1=f"{n} Bold Street")
        data["form_key"] = form_key(first, "/requests/new")
        posts = [
            lambda c=c, data=data: c.post("/requests/new", data=dict(data, csrf_token=csrf_token(c, "/requests/new")))
            for c in (first, first)
        ]
        responses = at_once(posts)
        assert [r.status_code for r in responses] == [302, 302]
        assert responses[0].location == responses[1].location  # both show the same request
    with app.app_context():
        assert requests_count() == PAIRS
        assert db.session.scalar(select(func.count(Call.id))) == PAIRS
        assert db.session.scalar(select(func.count(FormKey.key)).where(FormKey.kind == "request")) == PAIRS


def test_two_identical_forms_from_two_handlers_at_once_save_one_request_and_ask_the_other_why(app, two_handlers):
    with app.app_context():
        consultation_id = make_consultation().id
    for n in range(PAIRS):
        data = answers(type("C", (), {"id": consultation_id}), name=f"Caller {n}", address_line_1=f"{n} Bold Street")
        posts = [
            lambda c=c, data=data: c.post(
                "/requests/new",
                data=dict(data, form_key=form_key(c, "/requests/new"), csrf_token=csrf_token(c, "/requests/new")),
            )
            for c in two_handlers
        ]
        responses = at_once(posts)
        assert sorted(r.status_code for r in responses) == [200, 302]
        refused = next(r for r in responses if r.status_code == 200).get_data(as_text=True)
        assert "This looks like a repeat request" in refused and f"{n} Bold Street" in refused  # kept as typed
    with app.app_context():
        assert requests_count() == PAIRS
        per_caller = db.session.execute(
            select(PaperRequest.caller_id, func.count()).group_by(PaperRequest.caller_id)
        ).all()
        assert {count for _, count in per_caller} == {1}


def test_a_call_and_a_return_submitted_twice_are_saved_once(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation_id = make_consultation().id
    key = form_key(client, "/calls/new")
    data = {
        "consultation_id": str(consultation_id),
        "outcome": "question_answered",
        "notes": "Asked about the closing date",
        "form_key": key,
    }
    for _ in range(2):
        response = client.post("/calls/new", data=dict(data, csrf_token=csrf_token(client, "/calls/new")))
        assert response.status_code == 302
    key = form_key(client, "/returns/receive/unreferenced")
    locations = set()
    for _ in range(2):
        response = client.post(
            "/returns/receive/unreferenced",
            data={
                "consultation_id": str(consultation_id),
                "received_on": "2026-11-20",
                "form_key": key,
                "csrf_token": csrf_token(client, "/returns/receive/unreferenced"),
            },
        )
        assert response.status_code == 302
        locations.add(response.location)
    assert len(locations) == 1
    with app.app_context():
        from service.models import Return

        assert db.session.scalar(select(func.count(Call.id))) == 1
        assert db.session.scalar(select(func.count(Return.id))) == 1
