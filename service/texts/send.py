"""Sending one text through Twilio's Messages API, once: a send whose answer never came is looked up first.

A timeout does not say whether Twilio took the message. Sending again blindly could text the caller twice,
so before any second attempt the account's messages to that number from that sender are listed, and a
message with this very body (it carries the request's own reference) counts as sent.
"""

from __future__ import annotations

import logging

from flask import current_app, url_for

from service.dao.texts import (
    claim_for_sending,
    get_text,
    mark_text_failed,
    mark_text_sent,
    text_deleted_at_twilio,
)
from service.geo.phones import is_uk_mobile
from service.models import TextStatus
from service.models.types import utcnow
from service.texts.offer import text_body_for
from service.twilio_rest import TwilioRestException, rest_client, rest_is_set_up

log = logging.getLogger(__name__)
LOOKUP_LIMIT = 50
# Twilio's errors for a number that can never take this text: retrying cannot help.
REFUSED_NUMBERS = {
    21211: "not a valid phone number",
    21614: "not a mobile number",
    21610: "the number has opted out of texts (it replied STOP)",
    21408: "texts to this region are not enabled on the account",
    21612: "Twilio cannot send from this sender to this number",
}


class TextNotConfirmed(RuntimeError):
    """Twilio did not answer (a timeout, or its own error): the next attempt looks the text up first."""


def status_callback_url() -> str:
    """Where Twilio posts the text's status: the public URL the signature will cover."""
    with current_app.test_request_context("/"):
        return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("ivr.text_status")


def _already_taken(client, to: str, sender: str, body: str) -> str | None:
    """The SID of a message Twilio holds with this body to this number, if an earlier attempt got through."""
    for message in client.messages.list(to=to, from_=sender, limit=LOOKUP_LIMIT):
        if message.body == body:
            return message.sid
    return None


def send_text(text_id: int) -> str:
    """Send one text (or find that an earlier attempt did); say what happened, in a word or two."""
    text = get_text(text_id)
    if text is None or text.status not in (TextStatus.REQUESTED, TextStatus.SENDING) or text.forgotten_at:
        return "nothing to do"
    request = text.request
    phone = request.caller.phone if request.caller else None
    sender = request.consultation.text_sender
    body = text_body_for(request)
    now = utcnow()
    if phone is None or not is_uk_mobile(phone):
        mark_text_failed(text.id, None, "Not sent: the caller's number is not a UK mobile", now)
        return "not a mobile"
    if not (rest_is_set_up() and sender and body):
        mark_text_failed(text.id, None, "Not sent: texts are not set up for this consultation", now)
        return "not set up"
    client = rest_client()
    if text.status == TextStatus.SENDING:
        sid = _already_taken(client, phone, sender, body)
        if sid is not None:
            mark_text_sent(text.id, sid, utcnow())
            log.info("Text %s: an earlier attempt had reached Twilio", text.id)
            return "found"
    if not claim_for_sending(text.id, now):
        return "nothing to do"
    try:
        message = client.messages.create(to=phone, from_=sender, body=body, status_callback=status_callback_url())
    except TwilioRestException as error:
        if error.status and 400 <= error.status < 500 and error.status != 429:
            reason = REFUSED_NUMBERS.get(error.code or 0, "refused")
            mark_text_failed(text.id, error.code, f"Twilio: {reason} (error {error.code})", utcnow())
            log.info("Text %s refused by Twilio (error %s)", text.id, error.code)
            return "refused"
        raise TextNotConfirmed(f"Twilio answered {error.status}") from None
    except Exception as error:  # a timeout or a broken connection: Twilio may or may not have the text
        raise TextNotConfirmed(type(error).__name__) from None
    mark_text_sent(text.id, message.sid, utcnow())
    log.info("Text %s sent", text.id)
    return "sent"


def give_up(text_id: int) -> None:
    """The last attempt got no answer either: the text shows as not delivered, with why."""
    mark_text_failed(text_id, None, "Twilio did not confirm the text after several tries", utcnow())


def forget_at_twilio(text_id: int) -> str:
    """Erasure: delete Twilio's copy of a sent text (it holds the caller's number), then forget its SID."""
    text = get_text(text_id)
    if text is None or text.forgotten_at is None or not text.message_sid:
        return "nothing to do"
    try:
        rest_client().messages(text.message_sid).delete()
    except TwilioRestException as error:
        if error.status != 404:  # already gone is done
            raise
    text_deleted_at_twilio(text.id)
    return "deleted"
