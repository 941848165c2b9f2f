"""Paper-copy requests: the handler's main screen, the list, one request's page, alternative formats."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.requests.routes import bp

    app.register_blueprint(bp)
