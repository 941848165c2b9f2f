"""Outside the city region is derived from the local authority, not stored beside it

Revision ID: 0006_outside_area_derived
Revises: 0005_notify
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_outside_area_derived"
down_revision = "0005_notify"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_column("outside_area")


def downgrade():
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outside_area", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE requests SET outside_area = (local_authority IS NULL)")
