"""A call handler checks an address the phone menu was unsure of, and the request moves on to printing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent, RequestStatus, Role, StatusChange
from tests.conftest import csrf_token
from tests.ivr.conftest import all_requests, said


@pytest.fixture
def recorded_request(ring, consultation):
    """A caller whose postcode the menu could not get twice: their address is a recording."""
    call = ring()
    call.press("1")
    call.say("Grace Hopper")
    call.say("mumble")
    call.say("mumble again")
    call.record()
    call.press("1")
    assert "check your address" in said(call)
    (request,) = all_requests()
    return request


def check_form(**changes) -> dict[str, str]:
    fields = {
        "name": "Grace Hopper",
        "address_line_1": "7 Rodney Street",
        "address_line_2": "",
        "address_line_3": "",
        "town": "Liverpool",
        "postcode": "l1 9ed",
    }
    return fields | changes


def test_a_handler_corrects_a_recorded_address_and_the_request_goes_to_print(client, staff, recorded_request):
    handler_id = staff.sign_in(Role.CALL_HANDLER)
    listing = client.get("/address-checks").get_data(as_text=True)
    assert "Grace Hopper" in listing and "recorded their address" in listing
    assert recorded_request.caller.recording_url in listing
    assert 'href="/address-checks"' in client.get("/home").get_data(as_text=True)  # in the menu

    path = f"/address-checks/{recorded_request.id}"
    page = client.get(path).get_data(as_text=True)
    assert "Listen to the caller&#39;s recording" in page or "Listen to the caller's recording" in page

    # The request form's own validation: a postcode that is not one is refused, with every answer kept.
    token = csrf_token(client, path)
    refused = client.post(path, data=check_form(postcode="L1", csrf_token=token))
    assert refused.status_code == 200
    body = refused.get_data(as_text=True)
    assert "Enter a real UK postcode, like L1 8JQ" in body and 'value="7 Rodney Street"' in body
    assert all_requests()[0].status == RequestStatus.NEEDS_ADDRESS_CHECK

    response = client.post(path, data=check_form(csrf_token=token))
    assert response.status_code == 302 and response.headers["Location"] == "/address-checks"
    (request,) = all_requests()
    assert request.status == RequestStatus.WAITING_FOR_PACK
    assert (request.caller.address_line_1, request.caller.postcode) == ("7 Rodney Street", "L1 9ED")
    assert request.local_authority == "Liverpool" and not request.outside_area
    change = db.session.scalars(select(StatusChange).where(StatusChange.request_id == request.id)).all()[-1]
    assert (change.from_status, change.to_status, change.actor_id) == (
        "needs_address_check",
        "waiting_for_pack",
        handler_id,
    )
    assert "Address corrected" in change.note
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "request.address_checked"))
    assert audit.actor_id == handler_id
    assert set(audit.details["changed"]) == {"address_line_1", "town", "postcode"}  # names, never values
    assert "There are no addresses to check." in client.get("/address-checks").get_data(as_text=True)


def test_audio_is_made_once_its_address_is_checked(client, staff, ring, consultation):
    call = ring()
    call.press("3")
    call.press("3")  # audio
    call.say("Ada Lovelace", confidence=0.3)
    call.say("L1 9BQ")
    call.press("1")
    call.press("12")
    call.say("Hope Street")
    call.say("Liverpool")
    call.press("1")
    (request,) = all_requests()
    assert request.status == RequestStatus.NEEDS_ADDRESS_CHECK
    staff.sign_in(Role.CALL_HANDLER)
    path = f"/address-checks/{request.id}"
    page = client.get(path).get_data(as_text=True)
    assert "Name: 30%" in page  # how sure the menu was
    data = check_form(name="Ada Lovelace", address_line_1="12 Hope Street", postcode="L1 9BQ")
    client.post(path, data=data | {"csrf_token": csrf_token(client, path)})
    assert all_requests()[0].status == RequestStatus.WAITING_FOR_PACK  # the worker makes the audio copy


def test_a_checked_request_cannot_be_checked_twice(client, staff, recorded_request):
    staff.sign_in(Role.SUPERVISOR)
    path = f"/address-checks/{recorded_request.id}"
    client.post(path, data=check_form(csrf_token=csrf_token(client, path)))
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"] == f"/requests/{recorded_request.id}"


def test_cannot_confirm_puts_the_request_on_the_callback_list_with_the_recording(client, staff, recorded_request):
    staff.sign_in(Role.CALL_HANDLER)
    path = f"/address-checks/{recorded_request.id}"
    assert "Cannot confirm: call the caller back" in client.get(path).get_data(as_text=True)
    token = csrf_token(client, path)
    for _ in range(2):  # pressed twice: still one callback
        response = client.post(f"{path}/cannot-confirm", data={"csrf_token": token})
        assert response.status_code == 302
    callbacks = client.get("/calls/callbacks").get_data(as_text=True)
    assert callbacks.count("Address not confirmed for request") == 1
    assert recorded_request.caller.recording_url in callbacks
    db.session.expire_all()
    assert all_requests()[0].status == RequestStatus.NEEDS_ADDRESS_CHECK  # nothing printed meanwhile
    notes = db.session.scalars(select(StatusChange.note).where(StatusChange.request_id == recorded_request.id)).all()
    assert "Address cannot be confirmed: waiting on the callback list with the recording" in notes
    # Once the caller is reached, the address is confirmed as before and the request goes to print.
    response = client.post(path, data=check_form(csrf_token=token))
    assert response.status_code == 302
    db.session.expire_all()
    assert all_requests()[0].status == RequestStatus.WAITING_FOR_PACK
