"""A pack has at most one original return: a partial unique index, after making any extra originals duplicates

Revision ID: 0022_one_original_return
Revises: 0021_session_version
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_one_original_return"
down_revision = "0021_session_version"
branch_labels = None
depends_on = None

ORIGINALS = "pack_id IS NOT NULL AND duplicate_of_id IS NULL"


def upgrade():
    # Two receipts that raced before this index existed may both be originals: the later one becomes the
    # duplicate of the first, as it would have been had they not raced. Nothing is deleted.
    op.execute(
        sa.text(
            f"""
            UPDATE returns SET duplicate_of_id = (
                SELECT MIN(first.id) FROM returns AS first
                WHERE first.pack_id = returns.pack_id AND first.duplicate_of_id IS NULL
            )
            WHERE {ORIGINALS} AND id > (
                SELECT MIN(first.id) FROM returns AS first
                WHERE first.pack_id = returns.pack_id AND first.duplicate_of_id IS NULL
            )
            """
        )
    )
    op.create_index(
        "uq_returns_one_original_per_pack",
        "returns",
        ["pack_id"],
        unique=True,
        sqlite_where=sa.text(ORIGINALS),
        postgresql_where=sa.text(ORIGINALS),
    )


def downgrade():
    op.drop_index("uq_returns_one_original_per_pack", table_name="returns")
