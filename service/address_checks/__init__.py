"""The **needs address check** list: call handlers listen to the caller and confirm or correct the address."""

from flask import Blueprint, Flask

bp = Blueprint("address_checks", __name__, url_prefix="/address-checks")


def init_app(app: Flask) -> None:
    from service.address_checks import routes  # noqa: F401 (adds the views to bp)

    app.register_blueprint(bp)
