"""Returned forms: receipt, double-keyed blind data entry, adjudication, progress and the responses export."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.returns import (  # noqa: F401  (each module adds its screens to the blueprint)
        adjudication_routes,
        export_routes,
        keying_routes,
        receipt_routes,
        routes,
    )
    from service.returns.blueprint import bp

    app.register_blueprint(bp)
