"""Room for a phone extension after the E.164 number (`+441513301249;ext=2`)

Revision ID: 0009_phone_extension
Revises: 0008_accessible_files
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_phone_extension"
down_revision = "0008_accessible_files"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("callers", schema=None) as batch_op:
        batch_op.alter_column("phone", existing_type=sa.String(length=20), type_=sa.String(length=32))


def downgrade():
    # Extensions do not fit the old width: they are dropped, the number kept.
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, phone FROM callers WHERE phone LIKE '%;ext=%'")).all()
    for caller_id, phone in rows:
        connection.execute(
            sa.text("UPDATE callers SET phone = :phone WHERE id = :id"), {"phone": phone.split(";")[0], "id": caller_id}
        )
    with op.batch_alter_table("callers", schema=None) as batch_op:
        batch_op.alter_column("phone", existing_type=sa.String(length=32), type_=sa.String(length=20))
