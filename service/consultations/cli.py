"""`flask seed`: load the consultations the project ships with."""

import click
from flask import Flask

from service.consultations.loading import SEEDED_CONSULTATIONS, load_consultation


def init_app(app: Flask) -> None:
    @app.cli.command("seed")
    def seed() -> None:
        """Load (or refresh) the shipped consultations from pdf_templates/."""
        for slug in SEEDED_CONSULTATIONS:
            consultation = load_consultation(slug)
            click.echo(f"Consultation ready: {consultation.title} (closes {consultation.closes_on:%d %B %Y}).")
