"""Consultations as data: loaded from pdf_templates/<slug>/consultation.yaml."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.consultations import cli

    cli.init_app(app)
