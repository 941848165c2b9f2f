"""Braille and audio files made by the service, one per pack

Revision ID: 0008_accessible_files
Revises: 0007_phone_responses
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_accessible_files"
down_revision = "0007_phone_responses"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accessible_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column(
            "format",
            sa.Enum(
                "standard",
                "large_print",
                "easy_read",
                "braille",
                "audio",
                "other_language",
                name="printformat",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("file_key", sa.String(length=200), nullable=True),
        sa.Column("transcript_key", sa.String(length=200), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("braille_pages", sa.Integer(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("made_in_seconds", sa.Float(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["pack_id"], ["packs.id"], name=op.f("fk_accessible_files_pack_id_packs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accessible_files")),
        sa.UniqueConstraint("pack_id", name=op.f("uq_accessible_files_pack_id")),
    )


def downgrade():
    op.drop_table("accessible_files")
