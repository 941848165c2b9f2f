"""Staff sign-in (`/sign-in`, `/sign-out`, `/password`), its limits, roles and the CLI that creates accounts."""

from flask import Blueprint, Flask

from service.auth.roles import role_required

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    from service.auth import cli, routes, session, source_address  # noqa: F401 (routes adds the views to bp)

    source_address.init_app(app)
    session.init_app(app)
    cli.init_app(app)
    app.register_blueprint(bp)


__all__ = ["bp", "role_required", "init_app"]
