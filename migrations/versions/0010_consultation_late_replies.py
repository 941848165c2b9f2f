"""Consultations say what happens to late replies and when the decision is due

Revision ID: 0010_consultation_late_replies
Revises: 0009_phone_extension
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_consultation_late_replies"
down_revision = "0009_phone_extension"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("late_replies_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("takes_late_replies", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("takes_late_replies")
        batch_op.drop_column("late_replies_until")
        batch_op.drop_column("decision_on")
