"""`GET /healthz`: is the database reachable, is Redis reachable."""

from flask import Blueprint, Flask

bp = Blueprint("healthz", __name__, url_prefix="/healthz")


def init_app(app: Flask) -> None:
    from service.healthz import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
