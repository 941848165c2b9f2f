"""Error pages: a person sees a plain explanation, never a stack trace."""

from __future__ import annotations

import logging
import traceback

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_MESSAGES = {
    400: ("Something was wrong with that request", "Go back and try again."),
    403: (
        "You do not have access to this page",
        "Your role does not include this page. Ask a supervisor if you need it.",
    ),
    404: ("Page not found", "Check the address, or use the menu to find what you need."),
    405: ("That action is not available here", "Go back and use the buttons on the page."),
    413: ("That was too large", "Go back and try something smaller."),
    429: ("Too many attempts", "Wait a moment and try again."),
}


def render_error(status: int, title: str | None = None, detail: str | None = None):
    default_title, default_detail = _MESSAGES.get(
        status, ("Sorry, there is a problem with the service", "Try again later. What you saved before is safe.")
    )
    return render_template(
        "errors/error.html", status=status, title=title or default_title, detail=detail or default_detail
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, "Your form expired", "For your security, forms expire. Go back, reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.blueprint == "ivr":  # Twilio gets TwiML, not HTML; see service/ivr
            return error
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # Log the type and place only: exception messages can carry the personal data being handled.
        # The frames (file, line, code) are kept for debugging; the message and values are not.
        frames = "".join(traceback.format_tb(error.__traceback__))
        log.error("Unhandled %s at %s %s\n%s", type(error).__name__, request.method, request.path, frames)
        from service.extensions import db

        db.session.rollback()
        return render_error(500)
