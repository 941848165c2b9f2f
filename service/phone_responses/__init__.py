"""Surveys answered by phone: data entry checks the spoken answers against their recordings (/phone-responses)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("phone_responses", __name__, url_prefix="/phone-responses")


def init_app(app: Flask) -> None:
    from service.phone_responses import routes  # noqa: F401  (adds the screens to the blueprint)

    app.register_blueprint(bp)
