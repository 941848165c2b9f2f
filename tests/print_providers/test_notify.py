"""Print and post through GOV.UK Notify: the real client, over HTTP, to a local stand-in."""

from __future__ import annotations

import io

import pytest
import redis
from pypdf import PdfReader
from rq.job import Job
from rq.serializers import JSONSerializer

from service.extensions import db
from service.models import PaperRequest, PrintFormat, RequestStatus
from tests.factories import make_consultation, make_request
from tests.print_providers.notify_stub import API_KEY, NotifyStub
from workers.jobs import (
    build_print_batch,
    print_run,
    refresh_provider_statuses,
    render_request_packs,
    send_request_to_provider,
)


@pytest.fixture
def notify(app, monkeypatch):
    stub = NotifyStub()
    stub.start()
    monkeypatch.setitem(app.config, "PRINT_PROVIDER", "notify")
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", API_KEY)
    monkeypatch.setitem(app.config, "NOTIFY_BASE_URL", stub.url)
    yield stub
    stub.stop()


def test_a_rendered_pack_goes_to_notify_and_its_status_follows(app_ctx, notify):
    request = make_request(make_consultation(), name="Siân Roberts")
    reference = request.packs[0].reference
    render_request_packs(request.id)
    connection = redis.Redis.from_url(app_ctx.config["REDIS_URL"])
    assert (
        Job.fetch(f"provider-send-{request.id}", connection=connection, serializer=JSONSerializer).get_status()
        == "queued"
    )

    assert send_request_to_provider(request.id) == "sent"
    ((notification_id, letter),) = notify.letters.items()
    assert (
        letter["reference"] == f"{reference}-1" and letter["postage"] == "second"
    )  # no personal data in the reference
    assert "Siân Roberts" in PdfReader(io.BytesIO(letter["pdf"])).pages[0].extract_text()
    db.session.expire_all()
    request = db.session.get(PaperRequest, request.id)
    assert request.status == RequestStatus.SENT_TO_PRINT and request.packs[0].provider_reference == notification_id
    assert send_request_to_provider(request.id) == "nothing to do" and len(notify.letters) == 1  # never sent twice

    notify.statuses[notification_id] = "received"
    assert refresh_provider_statuses() == 1
    db.session.expire_all()
    request = db.session.get(PaperRequest, request.id)
    assert request.status == RequestStatus.POSTED and request.packs[0].provider_status == "received"
    assert refresh_provider_statuses() == 0  # a posted letter is not asked about again


def test_a_letter_notify_refuses_shows_failed_with_notifys_reason(app_ctx, notify):
    request = make_request(make_consultation())
    render_request_packs(request.id)
    send_request_to_provider(request.id)
    (notification_id,) = notify.letters
    notify.statuses[notification_id] = "validation-failed"
    refresh_provider_statuses()
    db.session.expire_all()
    request = db.session.get(PaperRequest, request.id)
    assert request.status == RequestStatus.PACK_FAILED and request.failure_reason == "GOV.UK Notify: validation-failed"


def test_packs_too_long_for_notify_still_go_to_a_local_batch(app_ctx, notify):
    consultation = make_consultation()
    standard = make_request(consultation, name="Short Pack")
    large = make_request(consultation, name="Long Pack", address_line_1="2 Road", print_format=PrintFormat.LARGE_PRINT)
    for request in (standard, large):
        render_request_packs(request.id)
    (batch_id,) = print_run()  # only the 14-page large-print pack
    build_print_batch(batch_id)
    db.session.expire_all()
    assert db.session.get(PaperRequest, large.id).status == RequestStatus.IN_PRINT_BATCH
    assert db.session.get(PaperRequest, standard.id).status == RequestStatus.PACK_READY  # waiting for Notify
    assert send_request_to_provider(large.id) == "nothing to do" and notify.letters == {}
