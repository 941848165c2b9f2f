"""A pack is in at most one holding batch per print round, said by the database

Each batch item carries its batch's status, kept equal by the database (ON UPDATE CASCADE on PostgreSQL,
a trigger on SQLite); a partial unique index on (pack, print round) over holding statuses replaces the
plain one, so a cancelled batch keeps its items as history and can never hold its packs again.

Revision ID: 0013_batch_holding_items
Revises: 0012_scans
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_batch_holding_items"
down_revision = "0012_scans"
branch_labels = None
depends_on = None

BATCH_STATUS = sa.Enum(
    "building", "ready", "sent_to_print", "posted", "cancelled", "failed", name="batchstatus", native_enum=False, length=32
)
HOLDING = sa.text("batch_status IN ('building', 'ready', 'sent_to_print', 'posted', 'failed')")
SQLITE_TRIGGER = """
CREATE TRIGGER batch_items_follow_batch_status AFTER UPDATE OF status ON print_batches
FOR EACH ROW WHEN NEW.status <> OLD.status
BEGIN
    UPDATE batch_items SET batch_status = NEW.status WHERE batch_id = NEW.id;
END
"""


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("print_batches", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_print_batches_id_status", ["id", "status"])
    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_status", BATCH_STATUS, nullable=True))
    op.execute(
        "UPDATE batch_items SET batch_status = (SELECT status FROM print_batches WHERE print_batches.id = batch_items.batch_id)"
    )
    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.alter_column("batch_status", existing_type=BATCH_STATUS, nullable=False)
        batch_op.drop_constraint("uq_batch_items_pack_round", type_="unique")
        batch_op.create_foreign_key(
            "fk_batch_items_batch_status_print_batches",
            "print_batches",
            ["batch_id", "batch_status"],
            ["id", "status"],
            onupdate="CASCADE",
        )
        batch_op.create_index(
            "uq_batch_items_holding_pack_round",
            ["pack_id", "print_round"],
            unique=True,
            sqlite_where=HOLDING,
            postgresql_where=HOLDING,
        )
    if sqlite:
        # SQLite enforces foreign keys only when each connection asks; a trigger does the cascade always.
        op.execute(SQLITE_TRIGGER)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS batch_items_follow_batch_status")
    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.drop_index("uq_batch_items_holding_pack_round")
        batch_op.drop_constraint("fk_batch_items_batch_status_print_batches", type_="foreignkey")
    op.execute("DELETE FROM batch_items WHERE batch_status NOT IN ('building', 'ready', 'sent_to_print', 'posted', 'failed')")
    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.drop_column("batch_status")
        batch_op.create_unique_constraint("uq_batch_items_pack_round", ["pack_id", "print_round"])
    with op.batch_alter_table("print_batches", schema=None) as batch_op:
        batch_op.drop_constraint("uq_print_batches_id_status", type_="unique")
