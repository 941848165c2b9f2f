"""`/password`: change your own password, by the NCSC's rules (service/auth/password_policy.py)."""

from flask import Blueprint, Flask

bp = Blueprint("password", __name__, url_prefix="/password")


def init_app(app: Flask) -> None:
    from service.password import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
