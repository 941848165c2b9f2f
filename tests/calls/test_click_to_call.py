"""Callbacks with one click: the handler's profile phone rung through twilio's own client (to the local stand-in
for Twilio), then the caller dialled by TwiML, played as Twilio plays it, signed; the callback marked done."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from service.dao.calls import NewCall, log_call
from service.dao.staff import set_staff_phone
from service.extensions import db
from service.ivr.walker import CallWalker, FlaskTransport
from service.models import Call, CallbackCall, CallbackCallStatus, CallOutcome, Role, StaffUser
from service.models.types import utcnow
from tests.conftest import TWILIO_PUBLIC_BASE_URL, csrf_token
from tests.factories import make_consultation, make_staff
from tests.requests.test_double_submit import PAIRS, at_once, form_key, two_handlers  # noqa: F401 (a fixture)

HANDLER_PHONE = "+447700900456"
CALLER_PHONE = "+441514960777"


@pytest.fixture
def callback(app_ctx):
    consultation = make_consultation()
    details = NewCall(
        consultation_id=consultation.id,
        outcome=CallOutcome.CALLBACK_NEEDED,
        caller_name="Ada Lovelace",
        caller_phone=CALLER_PHONE,
        callback_due_at=utcnow(),
    )
    return log_call(details, make_staff(Role.CALL_HANDLER).id)


@pytest.fixture
def handler(client, staff, app):
    """A signed-in call handler who has put their own phone on their profile."""
    user_id = staff.sign_in(Role.CALL_HANDLER)
    token = csrf_token(client, "/profile")
    assert client.post("/profile", data={"csrf_token": token, "phone": "07700 900456"}).status_code == 302
    return user_id


def click_call_back(client, call_id: int, form_key: str | None = None):
    page = client.get("/calls/callbacks").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    key = form_key or re.search(r'name="form_key" value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, "form_key": key}
    return client.post(f"/calls/{call_id}/call-back", data=data, follow_redirects=True).get_data(as_text=True), key


def the_try() -> CallbackCall:
    db.session.expire_all()
    (attempt,) = db.session.scalars(select(CallbackCall))
    return attempt


def handlers_phone(client, twilio_api, attempt: CallbackCall) -> CallWalker:
    """Twilio's side of the call it was asked to make: the handler's phone answers."""
    placed = twilio_api.calls[attempt.handler_call_sid]
    walker = CallWalker(
        FlaskTransport(client),
        twilio_api.auth_token,
        TWILIO_PUBLIC_BASE_URL,
        placed["to"],
        placed["from"],
        call_sid=placed["sid"],
        voice_path=placed["_url"].removeprefix(TWILIO_PUBLIC_BASE_URL),
        status_path=placed["_status_callback"].removeprefix(TWILIO_PUBLIC_BASE_URL),
    )
    walker.dial()
    return walker


def test_call_back_rings_the_handler_then_the_caller_and_marks_the_callback_done(
    app, client, handler, callback, twilio_api, caplog
):
    caplog.set_level(logging.INFO)
    page = client.get("/calls/callbacks").get_data(as_text=True)
    assert "Ending 777" in page and "0151 496 0777" not in page  # the handler never needs the number itself
    first, key = click_call_back(client, callback.id)
    assert "Ringing your phone (ending 456). Answer it and press 1" in first
    second, _ = click_call_back(client, callback.id, form_key=key)  # a double click: the same form key
    assert "Your phone is already being rung for this callback." in second
    ((sid, placed),) = twilio_api.calls.items()  # rung once
    assert placed["to"] == HANDLER_PHONE and placed["from"] == callback.consultation.phone_line
    assert placed["_events"] == ["completed"]
    attempt = the_try()
    assert attempt.handler_call_sid == sid and attempt.status == CallbackCallStatus.RINGING_HANDLER

    phone = handlers_phone(client, twilio_api, attempt)
    assert "To ring the caller now, press 1." in " ".join(phone.said)
    phone.press("1")
    assert the_try().status == CallbackCallStatus.RINGING_CALLER
    assert phone.waiting_for == "Dial"
    dial_document = client_twiml(client, twilio_api, phone)
    assert f"<Number>{CALLER_PHONE}</Number>" in dial_document
    assert f'callerId="{callback.consultation.phone_line}"' in dial_document  # the caller sees the line
    phone.answer_dial("completed", seconds=95)
    assert "the callback is marked done" in " ".join(phone.said) and phone.ended

    done = the_try()
    assert done.status == CallbackCallStatus.COMPLETED and done.duration_seconds == 95 and done.live is None
    db.session.expire_all()
    call = db.session.get(Call, callback.id)
    assert call.callback_done_at is not None and call.callback_done_by_id == handler
    assert "Ada Lovelace" not in client.get("/calls/callbacks").get_data(as_text=True)  # off the list
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "900456" not in logged and "960777" not in logged  # no phone number in any log line


def client_twiml(client, twilio_api, phone: CallWalker) -> str:
    """The TwiML Twilio was given for the dial (the walker's last post, repeated)."""
    url, params = phone.last_post
    return twilio_api.post_webhook(client, url, params, TWILIO_PUBLIC_BASE_URL).get_data(as_text=True)


@pytest.mark.parametrize(
    ("dial_status", "outcome", "shown"),
    [
        ("no-answer", CallbackCallStatus.NO_ANSWER, "The caller did not answer"),
        ("busy", CallbackCallStatus.BUSY, "The caller&#39;s line was busy"),
        ("failed", CallbackCallStatus.FAILED, "The call failed"),
    ],
)
def test_a_caller_who_does_not_answer_leaves_the_callback_due_with_the_outcome(
    client, handler, callback, twilio_api, dial_status, outcome, shown
):
    click_call_back(client, callback.id)
    phone = handlers_phone(client, twilio_api, the_try())
    phone.press("1")
    phone.answer_dial(dial_status)
    assert "The callback stays on the list" in " ".join(phone.said)
    assert the_try().status == outcome
    page = client.get("/calls/callbacks").get_data(as_text=True)
    assert "Ada Lovelace" in page and f"Last call back: {shown}" in page
    click_call_back(client, callback.id)  # and it can be tried again
    assert len(twilio_api.calls) == 2


def test_a_handler_who_does_not_answer_or_press_1_never_rings_the_caller(client, handler, callback, twilio_api):
    click_call_back(client, callback.id)
    attempt = the_try()
    placed = twilio_api.calls[attempt.handler_call_sid]
    params = {"CallSid": placed["sid"], "AccountSid": twilio_api.account_sid, "CallStatus": "no-answer"}
    response = twilio_api.post_webhook(client, placed["_status_callback"], params, TWILIO_PUBLIC_BASE_URL)
    assert response.status_code == 200
    assert the_try().status == CallbackCallStatus.HANDLER_MISSED
    page = client.get("/calls/callbacks").get_data(as_text=True)
    assert "Last call back: The handler&#39;s phone was not answered" in page

    click_call_back(client, callback.id)  # a voicemail answers: it never presses 1
    voicemail = handlers_phone(
        client, twilio_api, db.session.scalars(select(CallbackCall).order_by(CallbackCall.id.desc())).first()
    )
    voicemail.silence()
    assert "the caller was not rung" in " ".join(voicemail.said) and voicemail.ended
    db.session.expire_all()
    assert [t.status for t in db.session.scalars(select(CallbackCall).order_by(CallbackCall.id))] == [
        CallbackCallStatus.HANDLER_MISSED,
        CallbackCallStatus.HANDLER_MISSED,
    ]


def test_the_callback_webhooks_refuse_unsigned_requests_and_other_calls(client, handler, callback, twilio_api):
    click_call_back(client, callback.id)
    attempt = the_try()
    path = f"/ivr/callback-calls/{attempt.id}/connect"
    assert client.post(path, data={"CallSid": attempt.handler_call_sid, "Digits": "1"}).status_code == 403
    other = {"CallSid": "CA" + "1" * 32, "Digits": "1", "AccountSid": twilio_api.account_sid}
    answer = twilio_api.post_webhook(client, TWILIO_PUBLIC_BASE_URL + path, other, TWILIO_PUBLIC_BASE_URL)
    assert answer.status_code == 200 and "<Dial" not in answer.get_data(as_text=True)  # not the call Twilio made
    assert the_try().status == CallbackCallStatus.RINGING_HANDLER


def test_without_a_profile_phone_the_handler_is_told_to_add_one(client, staff, callback, twilio_api):
    staff.sign_in(Role.CALL_HANDLER)
    page = client.get("/calls/callbacks").get_data(as_text=True)
    assert "add your phone number to your profile" in page and "0151 496 0777" in page  # they dial by hand
    token = csrf_token(client, "/calls/callbacks")
    response = client.post(f"/calls/{callback.id}/call-back", data={"csrf_token": token}, follow_redirects=True)
    assert "Add your own phone number on your profile first" in response.get_data(as_text=True)
    assert twilio_api.calls == {} and db.session.scalar(select(func.count(CallbackCall.id))) == 0


def test_twilio_refusing_the_handlers_number_is_shown(client, handler, callback, twilio_api):
    twilio_api.refuse[HANDLER_PHONE] = 21211
    page, _ = click_call_back(client, callback.id)
    assert "Twilio could not ring your phone (error 21211)" in page
    assert the_try().status == CallbackCallStatus.FAILED and the_try().error_code == 21211


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0151 330 1249 ext 2", "without an extension"),
        ("12345", "Enter a UK phone number"),
        ("+33 6 12 34 56 78", "Enter a UK phone number"),
    ],
)
def test_the_profile_phone_is_checked_at_the_door_and_keeps_what_was_typed(client, staff, typed, problem):
    staff.sign_in(Role.DATA_ENTRY)
    token = csrf_token(client, "/profile")
    page = client.post("/profile", data={"csrf_token": token, "phone": typed}).get_data(as_text=True)
    assert problem in page and f'value="{typed}"' in page and 'aria-invalid="true"' in page


def test_a_profile_phone_can_be_removed(client, handler):
    token = csrf_token(client, "/profile")
    client.post("/profile", data={"csrf_token": token, "phone": ""})
    page = client.get("/profile").get_data(as_text=True)
    assert 'value=""' in page


def test_two_handlers_clicking_at_once_ring_one_phone(app, two_handlers, twilio_api):  # noqa: F811 (the fixture)
    with app.app_context():
        consultation = make_consultation()
        users = db.session.scalars(select(StaffUser).order_by(StaffUser.id)).all()
        for user, number in zip(users, ("+447700900456", "+447700900457"), strict=True):
            set_staff_phone(user, number)
        callback_ids = [
            log_call(
                NewCall(
                    consultation.id, CallOutcome.CALLBACK_NEEDED, caller_phone=CALLER_PHONE, callback_due_at=utcnow()
                ),
                users[0].id,
            ).id
            for _ in range(PAIRS)
        ]
    for callback_id in callback_ids:
        posts = []
        for client in two_handlers:
            token, key = csrf_token(client, "/calls/callbacks"), form_key(client, "/calls/callbacks")
            data = {"csrf_token": token, "form_key": key}
            posts.append(lambda c=client, data=data, i=callback_id: c.post(f"/calls/{i}/call-back", data=data))
        assert all(r.status_code == 302 for r in at_once(posts))
    with app.app_context():
        live = db.session.scalar(select(func.count(CallbackCall.id)).where(CallbackCall.live.is_(True)))
        assert live == PAIRS == len(twilio_api.calls)  # one phone rung per callback, never two
