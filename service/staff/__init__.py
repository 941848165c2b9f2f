"""The Staff accounts screen, for supervisors: who has an account, unlock one, sign one out everywhere."""

from flask import Blueprint, Flask

bp = Blueprint("staff", __name__, url_prefix="/staff")


def init_app(app: Flask) -> None:
    from service.staff import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
