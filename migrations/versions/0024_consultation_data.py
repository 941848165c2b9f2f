"""Consultations say their area, whether they are drafts and their letter's wording; packs and keyings their version

The questionnaire version is kept on each pack and each keying.

Consultations get `areas` (the local authorities served), `area_name`, `is_draft` and `letter_text`, filled
from the consultation.yaml in the folder of each one's questionnaire (the demonstration copy shares its
source's folder). Packs and keyings get `questionnaire_version`: every existing row was made from the
version its consultation's definition file says now, as no definition has yet changed its version.

Revision ID: 0024_consultation_data
Revises: 0023_blank_packs_form_key
"""

from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import op

revision = "0024_consultation_data"
down_revision = "0023_blank_packs_form_key"
branch_labels = None
depends_on = None

PDF_TEMPLATES = Path(__file__).resolve().parents[2] / "pdf_templates"

consultations = sa.table(
    "consultations",
    sa.column("id", sa.Integer),
    sa.column("questionnaire_file", sa.String),
    sa.column("areas", sa.JSON),
    sa.column("area_name", sa.String),
    sa.column("is_draft", sa.Boolean),
    sa.column("letter_text", sa.JSON),
)
packs = sa.table("packs", sa.column("consultation_id", sa.Integer), sa.column("questionnaire_version", sa.Integer))
returns = sa.table("returns", sa.column("id", sa.Integer), sa.column("consultation_id", sa.Integer))
keyings = sa.table("keyings", sa.column("return_id", sa.Integer), sa.column("questionnaire_version", sa.Integer))


def _yaml(path: Path) -> dict:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _area_name(area) -> str:
    # The file this reads is today's: its areas were names, and are now {code, name} (migration 0026).
    return str(area["name"]) if isinstance(area, dict) else str(area)


def upgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_draft", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("areas", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("area_name", sa.String(length=100), nullable=False, server_default="the area"))
        batch_op.add_column(sa.Column("letter_text", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("questionnaire_version", sa.Integer(), nullable=True))
    with op.batch_alter_table("keyings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("questionnaire_version", sa.Integer(), nullable=True))

    bind = op.get_bind()
    for consultation_id, questionnaire_file in bind.execute(
        sa.select(consultations.c.id, consultations.c.questionnaire_file)
    ):
        facts = _yaml(PDF_TEMPLATES / Path(questionnaire_file).parent / "consultation.yaml")
        version = int(_yaml(PDF_TEMPLATES / questionnaire_file).get("version", 1))
        bind.execute(
            consultations.update()
            .where(consultations.c.id == consultation_id)
            .values(
                areas=[_area_name(area) for area in facts.get("areas") or []],
                area_name=str(facts.get("area_name") or "the area"),
                is_draft=bool(facts.get("draft", False)),
                letter_text={str(k): " ".join(str(v).split()) for k, v in (facts.get("letter") or {}).items()},
            )
        )
        bind.execute(packs.update().where(packs.c.consultation_id == consultation_id).values(questionnaire_version=version))
        of_consultation = sa.select(returns.c.id).where(returns.c.consultation_id == consultation_id)
        bind.execute(
            keyings.update().where(keyings.c.return_id.in_(of_consultation)).values(questionnaire_version=version)
        )


def downgrade():
    with op.batch_alter_table("keyings", schema=None) as batch_op:
        batch_op.drop_column("questionnaire_version")
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.drop_column("questionnaire_version")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("letter_text")
        batch_op.drop_column("area_name")
        batch_op.drop_column("areas")
        batch_op.drop_column("is_draft")
