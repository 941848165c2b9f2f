"""The supervisors' dashboard for one consultation, and its figures as CSV reports."""

from flask import Blueprint, Flask

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def init_app(app: Flask) -> None:
    from service.dashboard import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
