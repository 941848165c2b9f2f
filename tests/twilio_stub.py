"""A stand-in for Twilio's REST API on 127.0.0.1, so tests drive twilio's own client over real HTTP.

It checks each request as Twilio documents it (https://www.twilio.com/docs/messaging/api/message-resource,
https://www.twilio.com/docs/voice/api/call-resource): the path under /2010-04-01/Accounts/{AccountSid}, HTTP
basic auth with the account SID and auth token, form-encoded parameters with their documented names, and
answers with Twilio's JSON, its status codes and its error bodies (code, message, more_info, status). It also
plays Twilio's side of the webhooks that follow: status callbacks signed with twilio's RequestValidator.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from typing import Any

from flask import Flask, jsonify, request
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from service.models.types import utcnow

API = "/2010-04-01/Accounts/<account_sid>"
_E164 = re.compile(r"\+[1-9]\d{6,14}")
MESSAGE_PARAMETERS = {"To", "From", "Body", "StatusCallback", "MessagingServiceSid", "MediaUrl", "ContentSid"}
CALL_PARAMETERS = {
    "To", "From", "Url", "Twiml", "Method", "StatusCallback", "StatusCallbackEvent", "StatusCallbackMethod",
    "Timeout", "CallerId", "SendDigits", "Record", "MachineDetection",
}  # fmt: skip


def twilio_error(status: int, code: int, message: str):
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return jsonify(body), status


@dataclass
class TwilioStub:
    account_sid: str
    auth_token: str
    url: str = ""
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # sid -> the message resource
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every request
    problems: list[str] = field(default_factory=list)  # requests Twilio would have refused as malformed
    refuse: dict[str, int] = field(default_factory=dict)  # To number -> Twilio error code to answer with
    # The next create answers only after this many seconds (the client's timeout fires first). `keep`: whether
    # Twilio took the message all the same (it often has: a timeout says nothing either way).
    slow_next: tuple[float, bool] | None = None

    # The server ------------------------------------------------------------------------------------------

    def start(self) -> None:
        self._server = make_server("127.0.0.1", 0, self.app(), threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def app(self) -> Flask:  # noqa: C901 (one view per documented endpoint)
        app = Flask("twilio-stub")

        @app.before_request
        def authenticate():
            self.requests.append((request.method, request.path))
            auth = request.authorization
            account = (request.view_args or {}).get("account_sid")
            if auth is None or (auth.username, auth.password) != (self.account_sid, self.auth_token):
                return twilio_error(401, 20003, "Authenticate")
            if account != self.account_sid:
                return twilio_error(404, 20404, "The requested resource was not found")
            if request.method == "POST" and request.mimetype != "application/x-www-form-urlencoded":
                self.problems.append(f"{request.path}: body is {request.mimetype}, not form-encoded")
            return None

        def unknown(allowed: set[str]) -> None:
            extra = set(request.form) - allowed
            if extra:
                self.problems.append(f"{request.path}: parameters Twilio does not document: {sorted(extra)}")

        @app.post(f"{API}/Messages.json")
        def create_message(account_sid: str):
            unknown(MESSAGE_PARAMETERS)
            to, sender, body = request.form.get("To", ""), request.form.get("From", ""), request.form.get("Body")
            if not to:
                return twilio_error(400, 21604, "A 'To' phone number is required.")
            if not sender and not request.form.get("MessagingServiceSid"):
                return twilio_error(400, 21603, "A 'From' phone number is required.")
            if not body:
                return twilio_error(400, 21602, "Message body is required.")
            if not _E164.fullmatch(to) or to in self.refuse and self.refuse[to] == 21211:
                return twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to}")
            if to in self.refuse:
                code = self.refuse[to]
                return twilio_error(
                    400, code, "'To' number is not a valid mobile number" if code == 21614 else "Refused"
                )
            message = self._message(account_sid, to, sender, body, request.form.get("StatusCallback"))
            slow, self.slow_next = self.slow_next, None
            if slow is not None:
                seconds, keep = slow
                if not keep:
                    del self.messages[message["sid"]]
                time.sleep(seconds)
            return jsonify(self.public(message)), 201

        @app.get(f"{API}/Messages.json")
        def list_messages(account_sid: str):
            found = [
                m
                for m in reversed(self.messages.values())
                if (not request.args.get("To") or m["to"] == request.args["To"])
                and (not request.args.get("From") or m["from"] == request.args["From"])
            ]
            size = int(request.args.get("PageSize", 50))
            base = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
            return jsonify(
                messages=[self.public(m) for m in found[:size]],
                page=0,
                page_size=size,
                start=0,
                end=max(len(found[:size]) - 1, 0),
                uri=f"{base}?PageSize={size}&Page=0",
                first_page_uri=f"{base}?PageSize={size}&Page=0",
                next_page_uri=None,
                previous_page_uri=None,
            )

        @app.get(f"{API}/Messages/<sid>.json")
        def fetch_message(account_sid: str, sid: str):
            if sid not in self.messages:
                return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
            return jsonify(self.public(self.messages[sid]))

        @app.delete(f"{API}/Messages/<sid>.json")
        def delete_message(account_sid: str, sid: str):
            if self.messages.pop(sid, None) is None:
                return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
            self.deleted.append(sid)
            return "", 204

        @app.post(f"{API}/Calls.json")
        def create_call(account_sid: str):
            unknown(CALL_PARAMETERS)
            to, sender = request.form.get("To", ""), request.form.get("From", "")
            if not request.form.get("Url") and not request.form.get("Twiml"):
                return twilio_error(400, 21205, "Url parameter is required.")
            if not sender:
                return twilio_error(400, 21213, "Caller phone number is required")
            if not _E164.fullmatch(to) or self.refuse.get(to) == 21211:
                return twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to}")
            sid = "CA" + secrets.token_hex(16)
            now = format_datetime(utcnow())
            self.calls[sid] = {
                "sid": sid,
                "account_sid": account_sid,
                "to": to,
                "from": sender,
                "status": "queued",
                "direction": "outbound-api",
                "date_created": now,
                "date_updated": now,
                "start_time": None,
                "end_time": None,
                "duration": None,
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{account_sid}/Calls/{sid}.json",
                # What the test replays as Twilio: the answer URL and the status callback, with their events.
                "_url": request.form.get("Url"),
                "_status_callback": request.form.get("StatusCallback"),
                "_events": request.form.getlist("StatusCallbackEvent"),
                "_timeout": request.form.get("Timeout"),
            }
            return jsonify({k: v for k, v in self.calls[sid].items() if not k.startswith("_")}), 201

        return app

    def _message(self, account_sid: str, to: str, sender: str, body: str, callback: str | None) -> dict[str, Any]:
        sid = "SM" + secrets.token_hex(16)
        now = format_datetime(utcnow())
        self.messages[sid] = {
            "sid": sid,
            "account_sid": account_sid,
            "api_version": "2010-04-01",
            "body": body,
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender,
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "status": "queued",
            "to": to,
            "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json",
            "subresource_uris": {"media": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}/Media.json"},
            "_status_callback": callback,
        }
        return self.messages[sid]

    # Twilio's side of the webhooks -------------------------------------------------------------------------

    def post_webhook(self, client, url: str, params: dict[str, str], public_base_url: str):
        """Post `params` to the public `url` through the Flask test client, signed as Twilio signs."""
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        path = url.removeprefix(public_base_url.rstrip("/"))
        return client.post(path, data=params, headers={"X-Twilio-Signature": signature})

    def message_status(self, client, sid: str, status: str, public_base_url: str, error_code: int | None = None) -> int:
        """Twilio's status callback for a message: sent, delivered, undelivered or failed."""
        message = self.messages[sid]
        message["status"] = status
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "AccountSid": self.account_sid,
            "From": message["from"],
            "To": message["to"],
            "MessageStatus": status,
            "SmsStatus": status,
            "ApiVersion": "2010-04-01",
        }
        if error_code:
            params["ErrorCode"] = str(error_code)
        return self.post_webhook(client, message["_status_callback"], params, public_base_url).status_code

    def public(self, resource: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in resource.items() if not k.startswith("_")}
