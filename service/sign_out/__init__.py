"""`/sign-out`: end this session (a POST from the button in every page's header)."""

from flask import Blueprint, Flask

bp = Blueprint("sign_out", __name__, url_prefix="/sign-out")


def init_app(app: Flask) -> None:
    from service.sign_out import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
