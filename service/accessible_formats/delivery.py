"""Sending a braille or audio copy as the caller asked: a BRF attached to an email, or an MP3 as a download link
by email or text. The print run posts the rest.

A download link is safe to send: its secret is 256 random bits (unguessable, and nothing personal in the
address: no reference, no name), only its SHA-256 is stored, it opens one copy's file for DOWNLOAD_LINK_DAYS,
and it stops working when the file goes (erasure, retention, a correction or a cancellation).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import current_app, url_for

from service import storage
from service.dao.accessible_files import get_accessible_file
from service.dao.deliveries import (
    claim_delivery,
    fail_delivery,
    get_delivery,
    link_digest,
    mark_delivery_sent,
    mark_request_delivered,
    text_forgotten_at_twilio,
)
from service.emails import Attachment, EmailRefused, build_email, send_email
from service.geo.phones import is_uk_mobile
from service.models import AccessibleFile, Delivery, Pack, PaperRequest, PrintFormat
from service.models.types import uk_today, utcnow
from service.packs.wording import letter_date, phone
from service.reference import format_reference
from service.twilio_rest import TwilioRestException, rest_client

log = logging.getLogger(__name__)


class DeliveryNotConfirmed(RuntimeError):
    """The mail server or Twilio did not answer: the job tries again (the copy gets a fresh link)."""


def new_link() -> tuple[str, str]:
    """A download link's secret and the digest that is stored of it."""
    token = secrets.token_urlsafe(32)
    return token, link_digest(token)


def link_url(token: str) -> str:
    with current_app.test_request_context("/"):
        return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("download.show", token=token)


def _size(made: AccessibleFile) -> str:
    return f"{made.size_bytes / 1_000_000:.1f} MB"


def _braille_email(request: PaperRequest, pack: Pack, made: AccessibleFile):
    consultation = request.consultation
    body = (
        f"Here is your braille copy of {consultation.title}, from {consultation.organisation}.\n\n"
        f"The attached file, braille-{pack.reference}.brf, is in Unified English Braille grade 2, laid out 40 "
        f"cells by 25 lines ({made.braille_pages} braille pages), for a braille display or an embosser. It holds "
        "our letter, which says how to reply, then the questionnaire.\n\n"
        f"Your reference is {format_reference(pack.reference)}. To reply by phone, or if the file does not open, "
        f"ring {phone(consultation.phone_line)}.\n"
    )
    assert made.file_key is not None  # checked by deliver_request before sending
    brf = storage.path_for(made.file_key).read_bytes()
    attachment = Attachment(f"braille-{pack.reference}.brf", brf, "application", "x-brf")
    return f"Your braille copy: {consultation.title}", body, (attachment,)


def _audio_email(request: PaperRequest, pack: Pack, made: AccessibleFile, url: str, until: str):
    consultation = request.consultation
    body = (
        f"Here is your audio copy of {consultation.title}, from {consultation.organisation}.\n\n"
        f"Play it or download it (an MP3, {_size(made)}, running time {made.running_time}) here:\n{url}\n\n"
        f"The link works until {until} and is for you alone: please do not pass it on.\n\n"
        f"Your reference is {format_reference(pack.reference)}. To reply by phone, or if the link does not work, "
        f"ring {phone(consultation.phone_line)}.\n"
    )
    return f"Your audio copy: {consultation.title}", body, ()


def audio_text_body(request: PaperRequest, url: str, until: str) -> str:
    return f"Your audio copy of the survey from {request.consultation.organisation}: {url} (works until {until})"


def _send_by_email(request: PaperRequest, pack: Pack, made: AccessibleFile, url: str, until: str) -> str:
    if made.format == PrintFormat.BRAILLE:
        subject, body, attachments = _braille_email(request, pack, made)
    else:
        subject, body, attachments = _audio_email(request, pack, made, url, until)
    return send_email(build_email(request.caller.email, subject, body, attachments))


def _send_by_text(request: PaperRequest, url: str, until: str) -> str:
    try:
        message = rest_client().messages.create(
            to=request.caller.phone, from_=request.consultation.text_sender, body=audio_text_body(request, url, until)
        )
    except TwilioRestException as error:
        if error.status and 400 <= error.status < 500 and error.status != 429:
            raise _Refused(f"Twilio refused the text (error {error.code})") from None
        raise DeliveryNotConfirmed(f"Twilio answered {error.status}") from None
    except Exception as error:  # a timeout or a broken connection
        raise DeliveryNotConfirmed(type(error).__name__) from None
    return message.sid


class _Refused(Exception):
    pass


def _why_not(request: PaperRequest) -> str | None:
    """Why this request's copies cannot go the way asked, for good; None if they can."""
    caller = request.caller
    if request.delivery == Delivery.EMAIL and not (caller and caller.email):
        return "Not emailed: there is no email address"
    if request.delivery == Delivery.TEXT:
        if request.format != PrintFormat.AUDIO:
            return "Not texted: only audio is sent as a link by text"
        if not (caller and is_uk_mobile(caller.phone) and request.consultation.text_sender):
            return "Not texted: no UK mobile number, or texts are not set up for this consultation"
    return None


def deliver_request(request: PaperRequest) -> str:
    """Send every copy of a ready braille or audio request by email or text; then the request is done."""
    reason = _why_not(request)
    if reason:
        fail_delivery(request, None, reason)
        return "refused"
    days = current_app.config["DOWNLOAD_LINK_DAYS"]
    expires = utcnow() + timedelta(days=days)
    until = letter_date(uk_today() + timedelta(days=days - 1))
    for pack in request.live_packs:
        made = get_accessible_file(pack.id)
        if made is None or made.file_key is None:
            fail_delivery(request, None, "Not sent: the file is no longer held")
            return "refused"
        needs_link = made.format == PrintFormat.AUDIO
        token, digest = new_link() if needs_link else (None, None)
        delivery_id = claim_delivery(pack.id, request.delivery, digest, expires if needs_link else None)
        if delivery_id is None:
            continue  # sent by an earlier run
        url = link_url(token) if token else ""
        try:
            if request.delivery == Delivery.EMAIL:
                message_id = _send_by_email(request, pack, made, url, until)
            else:
                message_id = _send_by_text(request, url, until)
        except (EmailRefused, _Refused) as error:
            fail_delivery(request, delivery_id, f"Not sent: {error}")
            log.info("Request %s: %s refused", request.id, request.delivery.value)
            return "refused"
        mark_delivery_sent(delivery_id, message_id)
    mark_request_delivered(request)
    log.info("Request %s: %s copies sent (%s)", request.id, request.format.value, request.delivery.value)
    return "sent"


def forget_text_copy(delivery_id: int) -> str:
    """Delete Twilio's copy of a revoked link's text (it holds the caller's number), then forget its SID."""
    delivery = get_delivery(delivery_id)
    if delivery is None or delivery.revoked_at is None or delivery.channel != Delivery.TEXT or not delivery.message_id:
        return "nothing to do"
    try:
        rest_client().messages(delivery.message_id).delete()
    except TwilioRestException as error:
        if error.status != 404:  # already gone is done
            raise
    text_forgotten_at_twilio(delivery.id)
    return "deleted"
