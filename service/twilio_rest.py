"""Twilio's REST API (Messages, Calls) through twilio's own client, built from the settings.

`TWILIO_API_BASE_URL` sends the client's requests elsewhere (the tests' local stand-in for Twilio) by a
custom HTTP client, the way twilio-python's docs give for proxies: the library builds the same requests,
paths, auth and parameters as for api.twilio.com, and only the origin changes.
"""

from __future__ import annotations

import logging

from flask import current_app
from requests import RequestException
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

TWILIO_API_ORIGIN = "https://api.twilio.com"
# twilio's HTTP client logs each request's URL and parameters at INFO (a text's To number among them):
# its own quiet logger, below WARNING, keeps phone numbers out of every log.
_quiet = logging.getLogger("service.twilio_rest.http")
_quiet.setLevel(logging.WARNING)

__all__ = ["RequestException", "TwilioNotSetUp", "TwilioRestException", "rest_client", "rest_is_set_up"]


class TwilioNotSetUp(RuntimeError):
    """TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not both set."""


class _ElsewhereHttpClient(TwilioHttpClient):
    """Sends what twilio's client would send to api.twilio.com to another origin instead."""

    def __init__(self, origin: str, timeout: float) -> None:
        super().__init__(timeout=timeout, logger=_quiet)
        self.origin = origin.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_API_ORIGIN):
            url = self.origin + url[len(TWILIO_API_ORIGIN) :]
        return super().request(method, url, *args, **kwargs)


def rest_is_set_up() -> bool:
    """Whether the service can call Twilio's REST API (texts, calls to handlers)."""
    config = current_app.config
    return bool(config["TWILIO_ACCOUNT_SID"] and config["TWILIO_AUTH_TOKEN"])


def rest_client() -> Client:
    """twilio's client for the configured account, with a timeout so a silent API never holds a worker."""
    if not rest_is_set_up():
        raise TwilioNotSetUp("Set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to send texts and make calls")
    config = current_app.config
    timeout = config["TWILIO_API_TIMEOUT_SECONDS"]
    origin = config["TWILIO_API_BASE_URL"]
    http_client = _ElsewhereHttpClient(origin, timeout) if origin else TwilioHttpClient(timeout=timeout, logger=_quiet)
    return Client(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"], http_client=http_client)
