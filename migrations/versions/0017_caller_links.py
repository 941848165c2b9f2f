"""Caller links: a supervisor's decision that two caller records are (or are not) the same person

Revision ID: 0017_caller_links
Revises: 0016_pack_files
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_caller_links"
down_revision = "0016_pack_files"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "caller_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("caller_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum("confirmed", "split", name="linkdecision", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("evidence", sa.String(length=80), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("caller_id < other_id", name=op.f("ck_caller_links_lower_id_first")),
        sa.ForeignKeyConstraint(["caller_id"], ["callers.id"], name=op.f("fk_caller_links_caller_id_callers")),
        sa.ForeignKeyConstraint(["other_id"], ["callers.id"], name=op.f("fk_caller_links_other_id_callers")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["staff_users.id"], name=op.f("fk_caller_links_decided_by_id_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caller_links")),
        sa.UniqueConstraint("caller_id", "other_id", name="uq_caller_links_pair"),
    )
    op.create_index(op.f("ix_caller_links_other_id"), "caller_links", ["other_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_caller_links_other_id"), table_name="caller_links")
    op.drop_table("caller_links")
