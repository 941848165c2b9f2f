"""The call log and the callback list."""

from flask import Blueprint, Flask

bp = Blueprint("calls", __name__, url_prefix="/calls")


def init_app(app: Flask) -> None:
    from service.calls import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
