"""Braille and audio sent as the caller asks: a request's delivery, a caller's email, and file deliveries

Revision ID: 0025_file_deliveries
Revises: 0024_consultation_data
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_file_deliveries"
down_revision = "0024_consultation_data"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("requests") as batch_op:
        batch_op.add_column(sa.Column("delivery", sa.String(length=32), nullable=False, server_default="post"))
    with op.batch_alter_table("callers") as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "file_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pack_id", sa.Integer(), sa.ForeignKey("packs.id"), nullable=False, unique=True),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("link_sha256", sa.String(length=64), nullable=True, unique=True),
        sa.Column("link_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade():
    op.drop_table("file_deliveries")
    with op.batch_alter_table("callers") as batch_op:
        batch_op.drop_column("email")
    with op.batch_alter_table("requests") as batch_op:
        batch_op.drop_column("delivery")
