"""The phone menu offers a text with the reference to a caller on a UK mobile, never to a landline caller; the
text goes through twilio's own client to the local stand-in for Twilio, once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from service.extensions import db
from service.models import CallChannel, ReferenceText, TextStatus
from tests.factories import make_consultation
from tests.ivr.conftest import CALLER_NUMBER, LINE, PUBLIC_BASE_URL, all_requests, give_address, said
from workers.jobs import send_reference_text

OFFER = "To have it sent to your mobile in a text message, with the web address to respond online, press 2."
LANDLINE_CALLER = "+441514960123"


@pytest.fixture
def texting(app_ctx, menu_settings, twilio_api):
    return make_consultation("phone-menu", title="Digital Strategy and Action Plan 2021-2023", text_sender="LCRCA")


def order_a_paper_copy(call) -> None:
    call.press("1")
    give_address(call)
    assert "I have your address as" in said(call)
    call.press("1")
    call.press("1")  # standard print


def texts() -> list[ReferenceText]:
    db.session.expire_all()
    return list(db.session.scalars(select(ReferenceText)))


def test_a_mobile_caller_is_offered_a_text_and_texted_the_reference_once(ring, texting, twilio_api, client):
    call = ring(from_=CALLER_NUMBER)
    order_a_paper_copy(call)
    assert OFFER in said(call)
    (request,) = all_requests()

    call.press("2")
    assert "We will text your reference number to your mobile, ending 1 2 3, shortly." in said(call)
    assert "Goodbye" in said(call) and call.ended
    (text,) = texts()
    assert text.request_id == request.id and text.channel == CallChannel.PHONE_MENU
    assert text.status == TextStatus.REQUESTED

    url, params = call.last_post  # Twilio posts the same key press again: still one text
    again = twilio_api.post_webhook(client, url, params, PUBLIC_BASE_URL).get_data(as_text=True)
    assert "We have already sent your reference to your mobile in a text message." in again
    assert db.session.scalar(select(func.count(ReferenceText.id))) == 1

    assert send_reference_text(text.id) == "sent"
    ((sid, message),) = twilio_api.messages.items()
    assert message["to"] == CALLER_NUMBER and message["from"] == "LCRCA"
    assert request.first_reference[:3] + " " + request.first_reference[3:6] in message["body"]
    assert texting.online_survey_url in message["body"] and len(message["body"]) <= 160
    assert twilio_api.message_status(client, sid, "delivered", PUBLIC_BASE_URL) == 200
    assert texts()[0].status == TextStatus.DELIVERED


def test_a_landline_caller_is_not_offered_a_text(ring, texting, twilio_api):
    call = ring(from_=LANDLINE_CALLER)
    order_a_paper_copy(call)
    assert "Your reference number is" in said(call)
    assert "text" not in said(call) and "To hear it again, press 1. Or you can hang up now." in said(call)
    call.press("2")  # not a choice here
    assert call.said[0] == "You pressed 2. That is not one of the choices."
    assert texts() == [] and twilio_api.requests == []


def test_no_text_is_offered_when_the_consultation_has_no_text_sender(ring, consultation, twilio_api):
    call = ring(from_=CALLER_NUMBER)
    order_a_paper_copy(call)
    assert OFFER not in said(call) and "To hear it again, press 1. Or you can hang up now." in said(call)


@pytest.fixture
def running_service(app, menu_settings) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_terminal_caller_reaches_the_text_offer(app, running_service, texting, twilio_api):
    answers = ["1", "say Ada Lovelace", "say L1 9BQ", "1", "12#", "say Hope Street", "say Liverpool", "1", "1", "2"]
    result = app.test_cli_runner().invoke(
        args=["phone", "call", "--server", running_service, "--public-url", PUBLIC_BASE_URL, "--to", LINE],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert OFFER in result.output
    assert "We will text your reference number to your mobile, ending 1 2 3, shortly." in result.output
    (text,) = texts()
    assert text.status == TextStatus.REQUESTED
