"""The automated phone menu (Twilio voice webhooks) and the walker that plays calls through it."""

from flask import Blueprint, Flask, current_app, request

from service.ivr.signature import check_signature


def cap_webhook_body() -> None:
    """Twilio's webhooks are a few kilobytes: a larger body is refused (413) before anything reads it."""
    request.max_content_length = current_app.config["PHONE_MENU_MAX_BODY"]


bp = Blueprint("ivr", __name__, url_prefix="/ivr")
bp.before_request(cap_webhook_body)  # before the signature check reads the form
bp.before_request(check_signature)


def init_app(app: Flask) -> None:
    from service.extensions import csrf
    from service.ivr import hours, routes, signature  # noqa: F401 (routes adds the views to bp)

    hours.parse_hours(app.config["ADVISER_HOURS"])  # a setting that cannot be read stops start-up
    signature.init_app(app)
    csrf.exempt(bp)  # Twilio signs its requests instead
    app.register_blueprint(bp)
