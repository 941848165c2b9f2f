"""The automated phone menu (Twilio voice webhooks), the walker that plays calls, and the address check list."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.extensions import csrf
    from service.ivr import address_checks, cli, hours, signature
    from service.ivr.routes import bp

    hours.parse_hours(app.config["ADVISER_HOURS"])  # a setting that cannot be read stops start-up
    signature.init_app(app)
    csrf.exempt(bp)  # Twilio signs its requests instead
    app.register_blueprint(bp)
    app.register_blueprint(address_checks.bp)
    cli.init_app(app)
