"""Blank packs remember the one-time key of the form that made them, so a second submit finds them

Revision ID: 0023_blank_packs_form_key
Revises: 0022_one_original_return
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_blank_packs_form_key"
down_revision = "0022_one_original_return"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("packs") as batch_op:
        batch_op.add_column(sa.Column("form_key", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_packs_form_key", ["form_key"])


def downgrade():
    with op.batch_alter_table("packs") as batch_op:
        batch_op.drop_index("ix_packs_form_key")
        batch_op.drop_column("form_key")
