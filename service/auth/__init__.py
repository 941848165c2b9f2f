"""Staff sign-in (`/sign-in`, `/sign-out`, `/password`), its limits, roles, and `flask users create` (in cli.py)."""

from flask import Blueprint, Flask

from service.auth.roles import role_required

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    from service.auth import routes, session, source_address  # noqa: F401 (routes adds the views to bp)

    source_address.init_app(app)
    session.init_app(app)
    app.register_blueprint(bp)


__all__ = ["bp", "role_required", "init_app"]
