"""The home page: `/` sends you to sign in or home; `/home` leads to each role's screens."""

from flask import Blueprint, Flask

bp = Blueprint("home", __name__)


def init_app(app: Flask) -> None:
    from service.home import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
