"""The automated phone menu (Twilio voice webhooks) and the walker that plays calls through it."""

from flask import Blueprint, Flask

from service.ivr.signature import check_signature

bp = Blueprint("ivr", __name__, url_prefix="/ivr")
bp.before_request(check_signature)


def init_app(app: Flask) -> None:
    from service.extensions import csrf
    from service.ivr import cli, hours, routes, signature  # noqa: F401 (routes adds the views to bp)

    hours.parse_hours(app.config["ADVISER_HOURS"])  # a setting that cannot be read stops start-up
    signature.init_app(app)
    csrf.exempt(bp)  # Twilio signs its requests instead
    app.register_blueprint(bp)
    cli.init_app(app)
