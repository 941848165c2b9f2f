"""A stand-in for GOV.UK Notify's API on 127.0.0.1, so tests exercise the real client over real HTTP
without reaching the network. It checks the client's signed token as Notify does."""

from __future__ import annotations

import base64
import threading
import uuid
from dataclasses import dataclass, field

import jwt
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

SERVICE_ID = "d0f6e4a2-5f2b-4c3e-9b1a-0c2d3e4f5a6b"
SECRET = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
API_KEY = f"survey_line_test-{SERVICE_ID}-{SECRET}"


@dataclass
class NotifyStub:
    url: str = ""
    letters: dict[str, dict] = field(default_factory=dict)  # notification id -> what was sent
    statuses: dict[str, str] = field(default_factory=dict)

    def app(self) -> Flask:
        app = Flask("notify-stub")

        def authorised() -> bool:
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                claims = jwt.decode(token, SECRET, algorithms=["HS256"])
            except jwt.PyJWTError:
                return False
            return claims.get("iss") == SERVICE_ID

        @app.post("/v2/notifications/letter")
        def send_letter():
            if not authorised():
                return jsonify(status_code=403, errors=[{"error": "AuthError"}]), 403
            body = request.get_json()
            notification_id = str(uuid.uuid4())
            self.letters[notification_id] = {
                "reference": body["reference"],
                "pdf": base64.b64decode(body["content"]),
                "postage": body.get("postage"),
            }
            self.statuses[notification_id] = "pending-virus-check"
            return jsonify(id=notification_id, reference=body["reference"], postage=body.get("postage")), 201

        @app.get("/v2/notifications/<notification_id>")
        def get_notification(notification_id: str):
            if not authorised():
                return jsonify(status_code=403, errors=[{"error": "AuthError"}]), 403
            if notification_id not in self.statuses:
                return jsonify(status_code=404, errors=[{"error": "NoResultFound"}]), 404
            return jsonify(id=notification_id, type="letter", status=self.statuses[notification_id])

        return app

    def start(self) -> None:
        self._server = make_server("127.0.0.1", 0, self.app(), threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
