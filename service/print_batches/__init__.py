"""Print batches: building, downloading, sending to print and posting; blank packs; their CLI commands."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("print_batches", __name__, url_prefix="/print-batches")


def init_app(app: Flask) -> None:
    from service.print_batches import cli, routes  # noqa: F401 (routes adds the views to bp)

    app.register_blueprint(bp)
    cli.init_app(app)
