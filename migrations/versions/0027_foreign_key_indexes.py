"""Index the two foreign keys that had none: calls.caller_id and returns.duplicate_of_id

Removing a row checks every foreign key that points at it, and without an index on the pointing column the
database reads the whole table to do so. The phone menu removes the caller row it filled in during a call once
the request has one of its own: with 100,000 calls logged, each removal read all of them (about 20 ms on
PostgreSQL, on the step where the caller waits to hear their reference). Returns are not removed today; the
index keeps that true of any future erasure, and finds a return's duplicates.

Revision ID: 0027_foreign_key_indexes
Revises: 0026_consultation_area_codes
"""

from alembic import op

revision = "0027_foreign_key_indexes"
down_revision = "0026_consultation_area_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_calls_caller_id", "calls", ["caller_id"])
    op.create_index("ix_returns_duplicate_of_id", "returns", ["duplicate_of_id"])


def downgrade() -> None:
    op.drop_index("ix_returns_duplicate_of_id", table_name="returns")
    op.drop_index("ix_calls_caller_id", table_name="calls")
