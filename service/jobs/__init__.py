"""The jobs screen for supervisors: queued, running, scheduled and failed jobs, with a retry action."""

from flask import Blueprint, Flask

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def init_app(app: Flask) -> None:
    from service.jobs import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
