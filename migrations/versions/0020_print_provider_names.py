"""Print providers: packs' GOV.UK Notify columns get provider-neutral names, and say which provider has the pack

`notify_id`, `notify_status` and `notify_status_at` become `provider_reference`, `provider_status` and
`provider_status_at` (data kept); the new `provider` names who posts the pack itself ("notify" for every pack
Notify already has). A pack ready but not yet sent when this runs has no provider, so the next print run
takes it: printed once either way.

Revision ID: 0020_print_provider_names
Revises: 0019_callback_calls
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_print_provider_names"
down_revision = "0019_callback_calls"
branch_labels = None
depends_on = None

packs = sa.table("packs", sa.column("provider", sa.String), sa.column("provider_reference", sa.String))


def upgrade():
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.drop_constraint("uq_packs_notify_id", type_="unique")
        batch_op.alter_column(
            "notify_id",
            new_column_name="provider_reference",
            existing_type=sa.String(length=36),
            type_=sa.String(length=100),
            existing_nullable=True,
        )
        batch_op.alter_column("notify_status", new_column_name="provider_status", existing_type=sa.String(length=40))
        batch_op.alter_column(
            "notify_status_at", new_column_name="provider_status_at", existing_type=sa.DateTime(timezone=True)
        )
        batch_op.add_column(sa.Column("provider", sa.String(length=40), nullable=True))
    op.execute(packs.update().where(packs.c.provider_reference.is_not(None)).values(provider="notify"))
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_packs_provider", ["provider", "provider_reference"])


def downgrade():
    with op.batch_alter_table("packs", schema=None) as batch_op:
        batch_op.drop_constraint("uq_packs_provider", type_="unique")
        batch_op.drop_column("provider")
        batch_op.alter_column(
            "provider_reference",
            new_column_name="notify_id",
            existing_type=sa.String(length=100),
            type_=sa.String(length=36),
            existing_nullable=True,
        )
        batch_op.alter_column("provider_status", new_column_name="notify_status", existing_type=sa.String(length=40))
        batch_op.alter_column(
            "provider_status_at", new_column_name="notify_status_at", existing_type=sa.DateTime(timezone=True)
        )
    with op.batch_alter_table("packs", schema=None) as batch_op:  # on the renamed column, so a batch of its own
        batch_op.create_unique_constraint("uq_packs_notify_id", ["notify_id"])
