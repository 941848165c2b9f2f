"""`/download/<link>`: a caller's audio copy, opened by the link sent to them by email or text. No sign-in."""

from flask import Blueprint, Flask

bp = Blueprint("download", __name__, url_prefix="/download")


def init_app(app: Flask) -> None:
    from service.download import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
