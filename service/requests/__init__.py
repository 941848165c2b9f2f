"""Paper-copy requests: the handler's main screen, the list, one request's page and packs, alternative formats."""

from flask import Blueprint, Flask

bp = Blueprint("requests", __name__, url_prefix="/requests")


def init_app(app: Flask) -> None:
    from service.requests import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
