"""One copy of a request can be cancelled before posting; its reference stays on record

Revision ID: 0011_pack_cancellation
Revises: 0010_consultation_late_replies
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_pack_cancellation"
down_revision = "0010_consultation_late_replies"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_at")
