"""Sending a text through twilio's own client to the local stand-in for Twilio: once, errors, timeouts,
status callbacks, the sweep and erasure."""

from __future__ import annotations

import pytest
import redis
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from service.dao.privacy import erase_callers
from service.dao.texts import request_text
from service.extensions import db
from service.models import CallChannel, ReferenceText, TextStatus
from service.queues.enqueue import text_job_id
from service.queues.sweep import requeue_due_work
from service.texts.send import TextNotConfirmed, send_text
from tests.conftest import TWILIO_PUBLIC_BASE_URL
from tests.texts.conftest import MOBILE
from workers.jobs import forget_text_at_twilio, send_reference_text


def the_text(request_id: int) -> ReferenceText:
    db.session.expire_all()
    return db.session.scalar(select(ReferenceText).where(ReferenceText.request_id == request_id))


def queued(app, text_id: int) -> str:
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    return Job.fetch(text_job_id(text_id), connection=connection, serializer=JSONSerializer).get_status()


def test_a_text_is_queued_sent_once_and_its_delivery_recorded(app_ctx, client, twilio_api, mobile_request):
    text, new = request_text(mobile_request.id, CallChannel.HANDLER)
    assert new and queued(app_ctx, text.id) == "queued"
    again, new = request_text(mobile_request.id, CallChannel.PHONE_MENU)
    assert again.id == text.id and not new  # one per request

    assert send_reference_text(text.id) == "sent"
    ((sid, message),) = twilio_api.messages.items()
    assert message["to"] == MOBILE and message["from"] == "LCRCA"
    assert mobile_request.packs[0].reference[:3] in message["body"].replace(" ", "")
    assert message["_status_callback"] == f"{TWILIO_PUBLIC_BASE_URL}/ivr/text-status"
    assert the_text(mobile_request.id).status == TextStatus.SENT and the_text(mobile_request.id).message_sid == sid
    assert send_reference_text(text.id) == "nothing to do" and len(twilio_api.messages) == 1  # never twice

    assert twilio_api.message_status(client, sid, "sent", TWILIO_PUBLIC_BASE_URL) == 200
    assert the_text(mobile_request.id).status == TextStatus.SENT
    assert twilio_api.message_status(client, sid, "delivered", TWILIO_PUBLIC_BASE_URL) == 200
    assert the_text(mobile_request.id).status == TextStatus.DELIVERED
    assert twilio_api.requests[0] == (
        "POST",
        f"/2010-04-01/Accounts/{app_ctx.config['TWILIO_ACCOUNT_SID']}/Messages.json",
    )


def test_an_unsigned_status_callback_is_refused(app_ctx, client, twilio_api, mobile_request):
    text, _ = request_text(mobile_request.id, CallChannel.HANDLER)
    send_reference_text(text.id)
    sid = the_text(mobile_request.id).message_sid
    response = client.post("/ivr/text-status", data={"MessageSid": sid, "MessageStatus": "delivered"})
    assert response.status_code == 403 and the_text(mobile_request.id).status == TextStatus.SENT


def test_a_failed_delivery_shows_twilios_error(app_ctx, client, twilio_api, mobile_request):
    text, _ = request_text(mobile_request.id, CallChannel.HANDLER)
    send_reference_text(text.id)
    sid = the_text(mobile_request.id).message_sid
    twilio_api.message_status(client, sid, "undelivered", TWILIO_PUBLIC_BASE_URL, error_code=30003)
    failed = the_text(mobile_request.id)
    assert failed.status == TextStatus.FAILED and failed.error_code == 30003
    assert failed.failure_reason == "Twilio: undelivered (error 30003)"


def test_twilio_refusing_the_number_fails_the_text_without_retrying(app_ctx, twilio_api, mobile_request):
    for code, words in ((21211, "not a valid phone number"), (21614, "not a mobile number")):
        db.session.execute(ReferenceText.__table__.delete())
        db.session.commit()
        twilio_api.refuse[MOBILE] = code
        text, _ = request_text(mobile_request.id, CallChannel.HANDLER)
        assert send_reference_text(text.id) == "refused"
        failed = the_text(mobile_request.id)
        assert failed.status == TextStatus.FAILED and failed.error_code == code
        assert failed.failure_reason == f"Twilio: {words} (error {code})"
    assert twilio_api.messages == {}


@pytest.fixture
def short_timeout(app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "TWILIO_API_TIMEOUT_SECONDS", 0.5)


def test_a_timed_out_send_that_reached_twilio_is_found_not_sent_again(
    app_ctx, twilio_api, mobile_request, short_timeout
):
    twilio_api.slow_next = (2.0, True)  # Twilio takes the text, but its answer comes too late
    text, _ = request_text(mobile_request.id, CallChannel.HANDLER)
    # One attempt of the job (rq retries it: the job itself gives up only on its last attempt).
    with pytest.raises(TextNotConfirmed):
        send_text(text.id)
    assert the_text(mobile_request.id).status == TextStatus.SENDING
    assert send_text(text.id) == "found"  # the retry lists the messages first
    (sid,) = twilio_api.messages
    assert the_text(mobile_request.id).message_sid == sid and the_text(mobile_request.id).status == TextStatus.SENT
    assert [m for m, path in twilio_api.requests if path.endswith("Messages.json")] == ["POST", "GET"]


def test_a_timed_out_send_that_never_reached_twilio_is_sent_on_the_retry(
    app_ctx, twilio_api, mobile_request, short_timeout
):
    twilio_api.slow_next = (2.0, False)
    text, _ = request_text(mobile_request.id, CallChannel.HANDLER)
    with pytest.raises(TextNotConfirmed):
        send_text(text.id)
    assert twilio_api.messages == {}
    assert send_text(text.id) == "sent"
    assert len(twilio_api.messages) == 1 and the_text(mobile_request.id).attempts == 2


def test_the_last_attempt_without_an_answer_shows_the_text_as_not_delivered(
    app_ctx, twilio_api, mobile_request, short_timeout
):
    twilio_api.slow_next = (2.0, False)
    text, _ = request_text(mobile_request.id, CallChannel.HANDLER)
    with pytest.raises(TextNotConfirmed):
        send_reference_text(text.id)  # outside rq: taken as the last attempt
    failed = the_text(mobile_request.id)
    assert failed.status == TextStatus.FAILED
    assert failed.failure_reason == "Twilio did not confirm the text after several tries"


def test_a_landline_is_never_texted_even_if_asked_behind_the_doors_back(app_ctx, twilio_api, landline_request):
    text, _ = request_text(landline_request.id, CallChannel.HANDLER)
    assert send_reference_text(text.id) == "not a mobile"
    assert the_text(landline_request.id).status == TextStatus.FAILED and twilio_api.requests == []


def test_the_sweep_queues_a_text_whose_job_was_lost(app_ctx, twilio_api, mobile_request):
    text, _ = request_text(mobile_request.id, CallChannel.HANDLER)
    redis.Redis.from_url(app_ctx.config["REDIS_URL"]).flushdb()  # Redis emptied before the worker got to it
    assert requeue_due_work()["texts"] == 1 and queued(app_ctx, text.id) == "queued"
    assert requeue_due_work()["texts"] == 0


def test_erasing_the_caller_deletes_twilios_copy_of_the_text(app_ctx, twilio_api, mobile_request):
    text, _ = request_text(mobile_request.id, CallChannel.HANDLER)
    send_reference_text(text.id)
    (sid,) = twilio_api.messages
    erase_callers([mobile_request.caller], None, "Test", "asked to be forgotten")
    connection = redis.Redis.from_url(app_ctx.config["REDIS_URL"])
    forget_job = Job.fetch(f"forget-text-{text.id}", connection=connection, serializer=JSONSerializer)
    assert forget_job.get_status() == "queued"  # queued by the erasure's commit
    assert forget_text_at_twilio(text.id) == "deleted"
    assert twilio_api.deleted == [sid] and twilio_api.messages == {}
    forgotten = the_text(mobile_request.id)
    assert forgotten.forgotten_at is not None and forgotten.message_sid is None
    assert db.session.scalar(select(func.count(ReferenceText.id))) == 1  # the fact a text was sent stays
