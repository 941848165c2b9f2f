"""`flask seed`: load the consultations the project ships with."""

import click
from flask.cli import with_appcontext

from service.consultations.loading import SEEDED_CONSULTATIONS, load_consultation


@click.command("seed")
@with_appcontext
def seed() -> None:
    """Load the shipped consultations.

    Loads, or refreshes, each consultation's facts and questionnaire from pdf_templates/.
    """
    for slug in SEEDED_CONSULTATIONS:
        consultation = load_consultation(slug)
        click.echo(f"Consultation ready: {consultation.title} (closes {consultation.closes_on:%d %B %Y}).")
