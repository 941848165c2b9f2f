"""Only signed webhooks are obeyed; anything malformed gets a spoken apology, never a 500; nothing personal is logged."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from service import create_app
from service.config import Test
from service.dao.menu_calls import get_call_by_sid, make_menu_request
from service.dao.requests import NewRequest
from service.extensions import db
from service.models import Call, CallChannel, PaperRequest, PrintFormat, RequestStatus
from tests.ivr.conftest import CALLER_NUMBER, LINE, PUBLIC_BASE_URL, give_address, menu_call, said

CALL_SID = "CA" + "1" * 32
TEST_TOKEN = Test.TWILIO_AUTH_TOKEN


def post_signed(client, path: str, params: dict[str, str], *, token: str | None = None, signed_url=None):
    signature = RequestValidator(token or TEST_TOKEN).compute_signature(signed_url or PUBLIC_BASE_URL + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def calls_logged() -> int:
    return db.session.scalar(select(func.count(Call.id))) or 0


@pytest.mark.parametrize(
    "how",
    ["no signature", "another account's token", "signed for another URL", "tampered form", "query string added"],
)
def test_a_bad_signature_is_refused_with_403_and_changes_nothing(client, consultation, how):
    params = {"CallSid": CALL_SID, "From": CALLER_NUMBER, "To": LINE}
    if how == "no signature":
        response = client.post("/ivr/voice", data=params)
    elif how == "another account's token":
        response = post_signed(client, "/ivr/voice", params, token="someone-elses-token")
    elif how == "signed for another URL":
        response = post_signed(client, "/ivr/voice", params, signed_url="https://attacker.example/ivr/voice")
    elif how == "tampered form":
        signature = RequestValidator(TEST_TOKEN).compute_signature(PUBLIC_BASE_URL + "/ivr/voice", params)
        response = client.post(
            "/ivr/voice", data={**params, "From": "+447700900999"}, headers={"X-Twilio-Signature": signature}
        )
    else:
        response = post_signed(client, "/ivr/voice?step=menu", params, signed_url=PUBLIC_BASE_URL + "/ivr/voice")
    assert response.status_code == 403
    assert calls_logged() == 0


def test_the_query_string_is_part_of_what_is_signed(client, consultation):
    params = {"CallSid": CALL_SID, "From": CALLER_NUMBER, "To": LINE}
    response = post_signed(client, "/ivr/voice?attempt=2", params)
    assert response.status_code == 200 and calls_logged() == 1


@pytest.mark.parametrize("path", ["/ivr/status", "/ivr/fallback", "/ivr/step/menu"])
def test_every_webhook_checks_the_signature(client, consultation, path):
    assert client.post(path, data={"CallSid": CALL_SID}).status_code == 403


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/ivr/voice", {}),
        ("/ivr/voice", {"CallSid": "not-a-call-sid", "To": LINE}),
        ("/ivr/step/menu", {"To": LINE}),
        ("/ivr/step/menu", {"CallSid": CALL_SID}),
        ("/ivr/status", {"CallStatus": "completed"}),
    ],
)
def test_missing_or_malformed_parameters_get_an_apology_in_twiml(client, consultation, path, params):
    response = post_signed(client, path, params)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    body = response.get_data(as_text=True)
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?><Response')
    if path != "/ivr/status":
        assert "Sorry, something went wrong on our side." in body and "<Hangup />" in body


def test_an_unknown_step_or_a_failure_inside_a_step_is_an_apology_not_a_500(ring, consultation, client):
    call = ring()
    params = {"CallSid": call.call_sid, "From": CALLER_NUMBER, "To": LINE, "Digits": "1"}
    for path in ("/ivr/step/no-such-step", "/ivr/step/reference"):  # reference, with no request made: a KeyError
        response = post_signed(client, path, params)
        assert response.status_code == 200
        assert "Sorry, something went wrong on our side." in response.get_data(as_text=True)


def test_a_step_for_a_call_the_menu_never_saw_starts_the_call_again(client, consultation):
    params = {"CallSid": CALL_SID, "From": CALLER_NUMBER, "To": LINE, "Digits": "1"}
    body = post_signed(client, "/ivr/step/menu", params).get_data(as_text=True)
    assert f'<Redirect method="POST">{PUBLIC_BASE_URL}/ivr/voice</Redirect>' in body


def test_a_number_with_no_consultation_says_so_politely(ring, consultation):
    call = ring(to="+441512220000")
    assert "this number is not taking calls" in said(call) and call.ended
    assert calls_logged() == 0


def test_the_fallback_apologises_without_touching_the_database(client, consultation):
    params = {"CallSid": CALL_SID, "ErrorCode": "11200", "ErrorUrl": PUBLIC_BASE_URL + "/ivr/voice"}
    body = post_signed(client, "/ivr/fallback", params).get_data(as_text=True)
    assert "Sorry, something went wrong on our side." in body and "Please call again later" in body
    assert calls_logged() == 0


def test_the_status_callback_logs_a_call_that_never_reached_the_menu(client, consultation):
    params = {"CallSid": CALL_SID, "From": CALLER_NUMBER, "To": LINE, "CallStatus": "failed", "CallDuration": "0"}
    assert post_signed(client, "/ivr/status", params).status_code == 200
    call = get_call_by_sid(CALL_SID)
    assert call.channel == CallChannel.PHONE_MENU and call.twilio_status == "failed"
    assert call.outcome.value == "incomplete"


def test_two_requests_with_the_same_call_key_make_one_request(ring, consultation, app_ctx):
    """The unique constraint itself, as two web processes racing on a retried webhook would meet it."""
    call = ring()
    logged = menu_call(call)
    details = NewRequest(
        consultation_id=consultation.id, name="Ada Lovelace", address_line_1="12 Hope Street", address_line_2="",
        address_line_3="", town="Liverpool", postcode="L1 9BQ", phone=None, format=PrintFormat.STANDARD, language="",
        copies=1, notes="", local_authority="Liverpool", is_late=False, status=RequestStatus.WAITING_FOR_PACK,
        fulfilment_due_on=None, call_id=logged.id, channel=CallChannel.PHONE_MENU, idempotency_key="ivr:race",
    )  # fmt: skip
    first, made = make_menu_request(logged, details)
    again, made_again = make_menu_request(menu_call(call), details)
    assert (made, made_again) == (True, False) and again == first
    assert db.session.scalar(select(func.count(PaperRequest.id))) == 1


def test_no_phone_number_name_or_address_reaches_the_logs(ring, consultation, caplog):
    caplog.set_level(logging.DEBUG)
    call = ring(from_="+447700900456")
    call.press("1")
    give_address(call, name="Zebedee Quartermaine", house="Wistful Cottage", street="Larkspur Lane", town="Ormskirk")
    call.press("1")
    call.press("1")
    call.silence()
    assert call.ended
    logged = caplog.text.lower()
    for secret in ("+447700900456", "07700 900456", "7700900456", "zebedee", "quartermaine", "wistful", "larkspur",
                   "ormskirk", "l1 9bq", "l19bq", "recordings/"):  # fmt: skip
        assert secret not in logged, secret
    assert "phone-menu call" in logged  # it did log, by id


def test_switching_the_signature_check_off_works_only_in_development(app, database_url, redis_url, caplog):
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": redis_url, "TWILIO_SIGNATURE_CHECK": False}
    params = {"CallSid": CALL_SID, "From": CALLER_NUMBER, "To": LINE}
    with caplog.at_level(logging.WARNING):
        development = create_app({**settings, "ENV_NAME": "development"})
    assert "TWILIO_SIGNATURE_CHECK is off" in caplog.text
    assert development.test_client().post("/ivr/fallback", data=params).status_code == 200

    caplog.clear()
    with caplog.at_level(logging.WARNING):
        production = create_app({**settings, "ENV_NAME": "production", "SECRET_KEY": "x" * 32})
    assert "ignored outside development" in caplog.text
    assert production.test_client().post("/ivr/fallback", data=params).status_code == 403


def test_a_signed_webhook_body_past_the_size_limit_is_refused_before_it_is_read(client, consultation):
    params = {"CallSid": CALL_SID, "From": CALLER_NUMBER, "To": LINE, "SpeechResult": "x" * (20 * 1024 * 1024)}
    assert post_signed(client, "/ivr/voice", params).status_code == 413
    assert calls_logged() == 0
    # A real webhook, a few kilobytes at most, is well inside it.
    params["SpeechResult"] = "12 Hope Street " * 100
    assert post_signed(client, "/ivr/voice", params).status_code == 200
