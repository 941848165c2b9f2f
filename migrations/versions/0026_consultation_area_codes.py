"""Consultations know their area by ONS code, and the extract of the ONS Postcode Directory that covers it

Consultations get `area_codes` (ONS code -> the name shown, for the authorities in `areas`) and `postcode_file`
(the consultation's extract of the directory, relative to pdf_templates/), filled from the consultation.yaml in
the folder of each one's questionnaire, as 0024 did: so the city region's requests keep their local authority
without waiting for `flask seed`. The postcode extract used to be one file for the city region, in the code.

Revision ID: 0026_consultation_area_codes
Revises: 0025_file_deliveries
"""

from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op

revision = "0026_consultation_area_codes"
down_revision = "0025_file_deliveries"
branch_labels = None
depends_on = None

PDF_TEMPLATES = Path(__file__).resolve().parents[2] / "pdf_templates"

consultations = sa.table(
    "consultations",
    sa.column("id", sa.Integer),
    sa.column("questionnaire_file", sa.String),
    sa.column("area_codes", sa.JSON),
    sa.column("postcode_file", sa.String),
)


def _facts(questionnaire_file: str) -> dict:
    path = PDF_TEMPLATES / Path(questionnaire_file).parent / "consultation.yaml"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def upgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_codes", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("postcode_file", sa.String(length=200), nullable=False, server_default=""))

    bind = op.get_bind()
    for consultation_id, questionnaire_file in bind.execute(
        sa.select(consultations.c.id, consultations.c.questionnaire_file)
    ):
        facts = _facts(questionnaire_file)
        areas = [area for area in facts.get("areas") or [] if isinstance(area, dict) and area.get("code")]
        if not areas:
            continue
        bind.execute(
            consultations.update()
            .where(consultations.c.id == consultation_id)
            .values(
                area_codes={str(area["code"]): str(area["name"]) for area in areas},
                postcode_file=str(facts.get("postcode_file") or ""),
            )
        )


def downgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("postcode_file")
        batch_op.drop_column("area_codes")
