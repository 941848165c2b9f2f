"""Audio by the phone menu: a caller on a UK mobile chooses to have a download link texted instead of a CD or USB
stick in the post; a landline caller is not asked."""

from __future__ import annotations

import re

import pytest

from service.dao.requests import get_request
from service.models import Delivery, PrintFormat, RequestStatus
from tests.factories import make_consultation
from tests.ivr.conftest import CALLER_NUMBER, all_requests, give_address, said
from workers.jobs import deliver_accessible_files, render_request_packs

QUESTION = "To have it posted, press 1. To have a link texted to this mobile, press 2."


@pytest.fixture
def texting(app_ctx, menu_settings, twilio_api):
    return make_consultation("phone-menu", title="Digital Strategy and Action Plan 2021-2023", text_sender="LCRCA")


def test_a_mobile_caller_has_the_audio_link_texted(ring, texting, twilio_api, client):
    call = ring(from_=CALLER_NUMBER)
    call.press("3")  # large print, braille, audio...
    call.press("3")  # audio
    assert QUESTION in said(call)
    call.press("7")
    assert "You pressed 7. That is not one of the choices." in said(call)
    call.press("2")
    assert "A link, by text. I also need your name and address." in said(call)
    give_address(call)
    call.press("1")  # the address is right
    assert "We will text a link to your audio copy to this mobile as soon as it is made" in said(call)
    (request,) = all_requests()
    assert request.format == PrintFormat.AUDIO and request.delivery == Delivery.TEXT
    assert render_request_packs(request.id) == "made"
    assert deliver_accessible_files(request.id) == "sent"
    ((sid, message),) = twilio_api.messages.items()
    assert message["to"] == CALLER_NUMBER
    link = re.search(r"(/download/[\w-]+)", message["body"]).group(1)
    assert client.get(link).status_code == 200
    assert get_request(request.id).status == RequestStatus.ALTERNATIVE_FORMAT_SENT


def test_a_landline_caller_is_not_asked_and_audio_is_posted(ring, texting):
    call = ring(from_="+441514960123")
    call.press("3")
    call.press("3")
    assert QUESTION not in said(call) and "Audio. To send it to you, I need your name and address." in said(call)
    give_address(call)
    call.press("1")
    (request,) = all_requests()
    assert request.delivery == Delivery.POST
