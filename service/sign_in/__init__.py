"""`/sign-in`: staff sign in, within the sign-in limits (service/auth/throttle.py)."""

from flask import Blueprint, Flask

bp = Blueprint("sign_in", __name__, url_prefix="/sign-in")


def init_app(app: Flask) -> None:
    from service.sign_in import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
