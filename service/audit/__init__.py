"""The audit trail screen, for supervisors."""

from flask import Blueprint, Flask

bp = Blueprint("audit", __name__, url_prefix="/audit")


def init_app(app: Flask) -> None:
    from service.audit import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
