"""The handler's side: a button on the request page, shown only for a mobile; refused at the door otherwise."""

from __future__ import annotations

from sqlalchemy import func, select

from service.extensions import db
from service.models import ReferenceText, Role, TextStatus
from tests.conftest import TWILIO_PUBLIC_BASE_URL, csrf_token
from workers.jobs import send_reference_text

BUTTON = "Text the reference to the caller's mobile (ending 123)"


def test_a_handler_texts_the_reference_once_and_sees_its_status(app, client, staff, twilio_api, mobile_request):
    staff.sign_in(Role.CALL_HANDLER)
    page = client.get(f"/requests/{mobile_request.id}").get_data(as_text=True)
    assert BUTTON in page
    token = csrf_token(client, f"/requests/{mobile_request.id}")
    first = client.post(f"/requests/{mobile_request.id}/text", data={"csrf_token": token})
    second = client.post(f"/requests/{mobile_request.id}/text", data={"csrf_token": token})  # a double click
    assert first.status_code == 302
    assert "already been sent" in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ReferenceText.id))) == 1

    page = client.get(f"/requests/{mobile_request.id}").get_data(as_text=True)
    assert "Waiting to be sent" in page and BUTTON not in page
    (text,) = db.session.scalars(select(ReferenceText))
    send_reference_text(text.id)
    (sid,) = twilio_api.messages
    twilio_api.message_status(client, sid, "delivered", TWILIO_PUBLIC_BASE_URL)
    page = client.get(f"/requests/{mobile_request.id}").get_data(as_text=True)
    assert "Delivered" in page and "to the mobile ending 123" in page
    assert "+447700900123" not in page.replace("07700 900123", "")  # shown only as the request's phone


def test_a_landline_has_no_button_and_is_refused_at_the_door(app, client, staff, twilio_api, landline_request):
    staff.sign_in(Role.CALL_HANDLER)
    page = client.get(f"/requests/{landline_request.id}").get_data(as_text=True)
    assert "Text the reference" not in page
    token = csrf_token(client, f"/requests/{landline_request.id}")
    refused = client.post(f"/requests/{landline_request.id}/text", data={"csrf_token": token})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "is not a UK mobile (a landline cannot take a text)" in body
    assert 'id="send-text-error"' in body
    assert db.session.scalar(select(func.count(ReferenceText.id))) == 0 and twilio_api.requests == []


def test_a_failed_text_says_why(app, client, staff, twilio_api, mobile_request):
    staff.sign_in(Role.CALL_HANDLER)
    twilio_api.refuse["+447700900123"] = 21614
    token = csrf_token(client, f"/requests/{mobile_request.id}")
    client.post(f"/requests/{mobile_request.id}/text", data={"csrf_token": token})
    (text,) = db.session.scalars(select(ReferenceText))
    send_reference_text(text.id)
    db.session.expire_all()
    assert db.session.get(ReferenceText, text.id).status == TextStatus.FAILED
    page = client.get(f"/requests/{mobile_request.id}").get_data(as_text=True)
    assert "Not delivered" in page and "Twilio: not a mobile number (error 21614)" in page
