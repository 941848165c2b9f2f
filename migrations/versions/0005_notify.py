"""Packs sent to GOV.UK Notify: notification id and status

Revision ID: 0005_notify
Revises: 0004_printing
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_notify"
down_revision = "0004_printing"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notify_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("notify_status", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("notify_status_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_packs_notify_id"), ["notify_id"])


def downgrade():
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_packs_notify_id"), type_="unique")
        batch_op.drop_column("notify_status_at")
        batch_op.drop_column("notify_status")
        batch_op.drop_column("notify_id")
