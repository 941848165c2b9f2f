"""The call log and the callback list."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.calls.routes import bp

    app.register_blueprint(bp)
