"""Supervisors' personal-data tools: find a person, export what is held (subject access), erase it."""

from flask import Blueprint, Flask

bp = Blueprint("personal_data", __name__, url_prefix="/personal-data")


def init_app(app: Flask) -> None:
    from service.personal_data import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
