"""Phone menu: call state by CallSid, recorded messages, one request per menu call

Revision ID: 0002_phone_menu
Revises: 0001_foundation
Create Date: 2026-11-27 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0002_phone_menu"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("menu_step", sa.String(length=40), nullable=True))
        # Existing rows (handler calls) get an empty object; new rows get one from the model's default.
        batch_op.add_column(sa.Column("menu_answers", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))

    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.alter_column("menu_answers", server_default=None)

    with op.batch_alter_table("callers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recording_url", sa.String(length=500), nullable=True))

    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_requests_idempotency_key"), ["idempotency_key"])


def downgrade():
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_requests_idempotency_key"), type_="unique")
        batch_op.drop_column("idempotency_key")

    with op.batch_alter_table("callers", schema=None) as batch_op:
        batch_op.drop_column("recording_url")

    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("menu_answers")
        batch_op.drop_column("menu_step")
