"""A member of staff's own profile (`/profile`): their phone, rung first for callbacks with one click."""

from flask import Blueprint, Flask

bp = Blueprint("profile", __name__, url_prefix="/profile")


def init_app(app: Flask) -> None:
    from service.profile import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
