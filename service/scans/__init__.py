"""Scanned returns: upload scans, read them in the background, place unidentified pages, verify unsure boxes."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("scans", __name__, url_prefix="/scans")


def init_app(app: Flask) -> None:
    from service.scans import routes  # noqa: F401 (routes adds the views to bp)

    app.register_blueprint(bp)
