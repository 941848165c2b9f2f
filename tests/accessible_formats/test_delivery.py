"""Braille and audio sent as the caller asks: a BRF by email, an MP3 as a download link by email or text.

Email goes to a real SMTP server (aiosmtpd) on 127.0.0.1, texts to the local Twilio stand-in; the link is
opened signed out, as the caller would, and stops working when it expires or the caller is erased.
"""

from __future__ import annotations

import re
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from service import storage
from service.dao.dashboard import get_dashboard
from service.dao.requests import get_request
from service.extensions import db
from service.models import AccessibleFile, FileDelivery, PaperRequest, RequestStatus, Role
from service.models.types import utcnow
from service.personal_data.erasure import erase_person
from tests.accessible_formats.test_requests import request_form
from tests.conftest import csrf_token
from tests.factories import make_consultation
from workers.jobs import deliver_accessible_files, print_run, render_request_packs


class Mailbox:
    """An SMTP server's handler: keeps every message; refuses recipients at `refused.example`."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(app, monkeypatch):
    handler = Mailbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    for key, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_STARTTLS": False,
        "EMAIL_FROM": "survey@lcrca.example",
        "PUBLIC_BASE_URL": "https://survey.example",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield handler
    controller.stop()


def log_request(app, client, consultation, print_format: str, **fields) -> PaperRequest:
    token = csrf_token(client, "/requests/new")
    response = client.post(
        "/requests/new", data=request_form(consultation, print_format) | fields | {"csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(PaperRequest).order_by(PaperRequest.id.desc()))


def test_braille_by_email_arrives_with_the_brf_and_is_not_printed(app, client, staff, mailbox):
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        consultation = make_consultation()
        request = log_request(app, client, consultation, "braille", delivery="email", email="sian@example.org")
        assert request.delivery.value == "email" and request.caller.email == "sian@example.org"
        assert render_request_packs(request.id) == "made"
        assert print_run() == []  # the print run leaves it alone: it is to be emailed
        assert deliver_accessible_files(request.id) == "sent"
        assert deliver_accessible_files(request.id) == "nothing to do"  # sent once
        db.session.expire_all()
        request = get_request(request.id)
        assert request.status == RequestStatus.ALTERNATIVE_FORMAT_SENT
        made = db.session.scalar(select(AccessibleFile))
        brf = storage.path_for(made.file_key).read_bytes()
        reference = request.packs[0].reference
    (message,) = mailbox.messages
    assert message["To"] == "sian@example.org" and message["Subject"].startswith("Your braille copy:")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"braille-{reference}.brf" and attachment.get_content() == brf
    body = message.get_body(("plain",)).get_content()
    assert f"{reference[:3]} {reference[3:6]} {reference[6:]}" in body and "0151 330 1249" in body
    history = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Alternative format sent" in history and "By email: sian@example.org" in history
    with app.app_context():
        figures = dict(get_dashboard(consultation.id, utcnow()).made_by_service)
    assert figures["Braille"]["sent"] == 1 and figures["Braille"]["by_hand"] == 0


def test_audio_by_email_is_a_link_that_opens_signed_out_until_it_expires(app, client, staff, mailbox):
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        consultation = make_consultation()
        request = log_request(app, client, consultation, "audio", delivery="email", email="sian@example.org")
        assert render_request_packs(request.id) == "made"
        assert deliver_accessible_files(request.id) == "sent"
        made = db.session.scalar(select(AccessibleFile))
        mp3 = storage.path_for(made.file_key).read_bytes()
        reference, request_id = request.packs[0].reference, request.id
    (message,) = mailbox.messages
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"https://survey\.example(/download/\S+)", body).group(1)
    secret = link.rsplit("/", 1)[1]
    assert len(secret) >= 43 and reference not in link and "Roberts" not in link  # nothing personal in it
    with app.app_context():
        stored = db.session.scalar(select(FileDelivery))
        assert stored.link_sha256 != secret and secret not in stored.link_sha256  # only its hash is kept
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/home")})
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert "<audio" in text and "Siân" not in text and "Hope Street" not in text and reference not in text
    with client.get(f"{link}/mp3?download=1") as download:
        assert download.get_data() == mp3 and download.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(f"{link[:-1]}x").status_code == 404  # one character wrong: nothing
    with app.app_context():
        assert db.session.scalar(select(FileDelivery.downloads)) == 1
        # Past its days the link stops working.
        expired = utcnow() - timedelta(seconds=1)
        db.session.execute(FileDelivery.__table__.update().values(link_expires_at=expired))
        db.session.commit()
    gone = client.get(link)
    assert gone.status_code == 404 and "This link does not work" in gone.get_data(as_text=True)
    assert client.get(f"{link}/mp3").status_code == 404
    with app.app_context():
        db.session.execute(FileDelivery.__table__.update().values(link_expires_at=utcnow() + timedelta(days=1)))
        db.session.commit()
        assert client.get(link).status_code == 200
        erase_person(get_request(request_id).caller, None, "Test", "Asked to be forgotten")
    assert client.get(link).status_code == 404  # erasure revokes the link
    with app.app_context():
        assert db.session.scalar(select(FileDelivery.link_sha256)) is None


def test_a_refused_address_shows_on_the_request_and_nothing_is_printed(app, client, staff, mailbox):
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        consultation = make_consultation()
        request = log_request(app, client, consultation, "braille", delivery="email", email="nobody@refused.example")
        render_request_packs(request.id)
        assert deliver_accessible_files(request.id) == "refused"
        db.session.expire_all()
        request = get_request(request.id)
        assert request.status == RequestStatus.PACK_FAILED
        assert "the mail server refused the address (SMTP 550)" in request.failure_reason
    assert mailbox.messages == []


def test_audio_by_text_sends_a_link_and_erasure_deletes_twilio_s_copy(app, client, staff, twilio_api):
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        consultation = make_consultation(text_sender="LCRCA")
        request = log_request(app, client, consultation, "audio", delivery="text", phone="07700 900123")
        render_request_packs(request.id)
        assert deliver_accessible_files(request.id) == "sent"
        (sid,) = twilio_api.messages
        message = twilio_api.messages[sid]
        assert message["to"] == "+447700900123" and "/download/" in message["body"]
        link = re.search(r"https?://\S+?(/download/[\w-]+)", message["body"]).group(1)
        assert client.get(link).status_code == 200
        erase_person(get_request(request.id).caller, None, "Test", "Asked to be forgotten")
        from service.queues.sweep import requeue_due_work
        from workers.jobs import forget_delivery_text

        requeue_due_work()
        delivery_id = db.session.scalar(select(FileDelivery.id))
        assert forget_delivery_text(delivery_id) == "deleted"
    assert twilio_api.deleted == [sid] and client.get(link).status_code == 404


@pytest.mark.parametrize(
    ("print_format", "fields", "message"),
    [
        ("braille", {"delivery": "email", "email": ""}, "Enter the caller&#39;s email address"),
        ("braille", {"delivery": "email", "email": "sian at example"}, "Enter an email address like name@example.com"),
        ("braille", {"delivery": "text", "phone": "07700 900123"}, "Only audio is sent by text"),
        ("audio", {"delivery": "text", "phone": "0151 496 0000"}, "enter the caller&#39;s UK mobile number above"),
        ("standard", {"delivery": "email", "email": "sian@example.org"}, "Only braille and audio are sent by email"),
    ],
)
def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(
    app, client, staff, mailbox, print_format, fields, message
):
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        consultation = make_consultation()
        token = csrf_token(client, "/requests/new")
        page = client.post(
            "/requests/new", data=request_form(consultation, print_format) | fields | {"csrf_token": token}
        ).get_data(as_text=True)
        assert message in page
        if fields.get("email"):
            assert f'value="{fields["email"]}"' in page
        assert db.session.scalar(select(func.count(PaperRequest.id))) == 0
