"""`flask seed`: load the consultations the project ships with."""

import click
from flask.cli import with_appcontext

from service.consultations.loading import load_consultation, shipped_consultations


@click.command("seed")
@with_appcontext
def seed() -> None:
    """Load the shipped consultations.

    Loads, or refreshes, every consultation in pdf_templates/: each folder with a consultation.yaml (its
    facts) beside the questionnaire it names.
    """
    for slug in shipped_consultations():
        consultation = load_consultation(slug)
        click.echo(f"Consultation ready: {consultation.title} (closes {consultation.closes_on:%d %B %Y}).")
