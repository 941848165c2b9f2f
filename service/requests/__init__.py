"""Paper-copy requests: the handler's main screen, the list, one request's page, alternative formats."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.requests import pack_routes  # noqa: F401 (adds the pack routes to the blueprint)
    from service.requests.routes import bp

    app.register_blueprint(bp)
