"""One-time form keys: a second submission of the same form returns what the first made

Revision ID: 0014_form_keys
Revises: 0013_batch_holding_items
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_form_keys"
down_revision = "0013_batch_holding_items"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_keys",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_form_keys")),
    )


def downgrade():
    op.drop_table("form_keys")
