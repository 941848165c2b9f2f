"""A WSGI app for tests/test_gunicorn_config.py: the service's own app, plus one download that streams for
longer than gunicorn's timeout, as the whole audit trail does at scale."""

from __future__ import annotations

import time

from flask import Response

from service.wsgi import app

CHUNKS = 8


@app.get("/test-only/slow-download")
def slow_download():
    def chunks():
        for number in range(CHUNKS):
            time.sleep(0.5)
            yield f"row {number}\n"

    return Response(chunks(), mimetype="text/csv")
