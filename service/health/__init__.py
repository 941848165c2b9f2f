"""`GET /healthz`: is the database reachable, is Redis reachable."""

from flask import Blueprint, Flask

bp = Blueprint("health", __name__)


def init_app(app: Flask) -> None:
    from service.health import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
