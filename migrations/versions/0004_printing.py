"""Print batches, rendered packs and the consultation's 'what happens next'

Revision ID: 0004_printing
Revises: 0003_returns
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_printing"
down_revision = "0003_returns"
branch_labels = None
depends_on = None

BATCH_STATUS = sa.Enum("building", "ready", "sent_to_print", "posted", "cancelled", "failed", name="batchstatus", native_enum=False, length=32)
PRINT_FORMAT = sa.Enum("standard", "large_print", "easy_read", "braille", "audio", "other_language", name="printformat", native_enum=False, length=32)


def upgrade():
    op.create_table(
        "print_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("format", PRINT_FORMAT, nullable=False),
        sa.Column("status", BATCH_STATUS, nullable=False),
        sa.Column("pack_count", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("packs_built", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(length=200), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_to_print_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], name=op.f("fk_print_batches_consultation_id_consultations")),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff_users.id"], name=op.f("fk_print_batches_created_by_id_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_batches")),
    )
    with op.batch_alter_table("print_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_print_batches_consultation_id"), ["consultation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_print_batches_status"), ["status"], unique=False)

    op.create_table(
        "batch_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("print_round", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["print_batches.id"], name=op.f("fk_batch_items_batch_id_print_batches")),
        sa.ForeignKeyConstraint(["pack_id"], ["packs.id"], name=op.f("fk_batch_items_pack_id_packs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_items")),
        sa.UniqueConstraint("pack_id", "print_round", name="uq_batch_items_pack_round"),
    )
    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.create_index("ix_batch_items_batch_position", ["batch_id", "position"], unique=False)

    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("page_count", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("print_round", sa.Integer(), nullable=False, server_default="1"))

    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("after_closing", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.drop_column("after_closing")
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.drop_column("print_round")
        batch_op.drop_column("rendered_at")
        batch_op.drop_column("page_count")
        batch_op.drop_column("pdf")
    op.drop_table("batch_items")
    op.drop_table("print_batches")
