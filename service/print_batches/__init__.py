"""Print batches: building, downloading, sending to print and posting; blank packs; their CLI commands (cli.py)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("print_batches", __name__, url_prefix="/print-batches")


def init_app(app: Flask) -> None:
    from service.print_batches import routes  # noqa: F401 (routes adds the views to bp)

    app.register_blueprint(bp)
