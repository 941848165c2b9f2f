"""Staff sign-in, roles and the CLI command that creates accounts."""

from flask import Flask

from service.auth.roles import role_required
from service.auth.routes import bp


def init_app(app: Flask) -> None:
    from service.auth import cli, session

    session.init_app(app)
    cli.init_app(app)
    app.register_blueprint(bp)


__all__ = ["role_required", "init_app"]
