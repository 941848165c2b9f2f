"""Only Twilio may drive the menu: every webhook carries X-Twilio-Signature over the public URL and its form."""

from __future__ import annotations

import logging

from flask import Flask, abort, current_app, request
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Twilio-Signature"


def public_request_url() -> str:
    """The URL Twilio requested: PUBLIC_BASE_URL, the path, and the query string exactly as received."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    query = request.query_string.decode("latin-1")
    return f"{base}{request.script_root}{request.path}" + (f"?{query}" if query else "")


def signature_is_valid() -> bool:
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not token or not current_app.config["PUBLIC_BASE_URL"] or not signature:
        return False
    return RequestValidator(token).validate(public_request_url(), request.form, signature)


def check_signature() -> None:
    """Refuse (403) a webhook whose signature does not match; runs before every phone-menu view."""
    if not current_app.extensions["ivr_signature_check"]:
        return
    if not signature_is_valid():
        log.warning("Refused a phone-menu webhook without a valid Twilio signature: %s", request.path)
        abort(403)


def init_app(app: Flask) -> None:
    """Decide once whether signatures are checked: always, unless switched off in development."""
    wanted = bool(app.config.get("TWILIO_SIGNATURE_CHECK", True))
    if not wanted and app.config["ENV_NAME"] == "development":
        log.warning(
            "!!! TWILIO_SIGNATURE_CHECK is off: anyone can drive the phone menu at /ivr. "
            "Development only; never expose this server. !!!"
        )
        app.extensions["ivr_signature_check"] = False
        return
    if not wanted:
        log.error("TWILIO_SIGNATURE_CHECK=0 is ignored outside development: phone-menu signatures are checked.")
    if not app.config["TWILIO_AUTH_TOKEN"] or not app.config["PUBLIC_BASE_URL"]:
        log.info("Phone menu: TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL are not both set, so webhooks are refused.")
    app.extensions["ivr_signature_check"] = True
