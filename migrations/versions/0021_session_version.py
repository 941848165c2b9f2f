"""Staff sessions can be ended: a session version per account, checked on every request

Revision ID: 0021_session_version
Revises: 0019_callback_calls
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_session_version"
down_revision = "0020_print_provider_names"
branch_labels = None
depends_on = None


def upgrade():
    # Every session signed in before this has no version in its cookie, so it ends: staff sign in again once.
    op.add_column("staff_users", sa.Column("session_version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("session_version")
