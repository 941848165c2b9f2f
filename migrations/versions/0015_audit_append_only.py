"""The audit trail is append-only, said by the database; an entry can be about several records

A trigger refuses UPDATE and DELETE on `audit_events` and on the new `audit_event_objects` (and TRUNCATE
on PostgreSQL), so no screen, command or stray SQL through the service's own connection rewrites who did
what. `audit_event_objects` names the further records one entry is about (the batches of one print run).

Revision ID: 0015_audit_append_only
Revises: 0014_form_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_audit_append_only"
down_revision = "0014_form_keys"
branch_labels = None
depends_on = None

TABLES = ("audit_events", "audit_event_objects")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_trail_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def _postgres_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION audit_trail_is_append_only()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_is_append_only()",
    ]


def _sqlite_triggers(table: str) -> list[str]:
    # SQLite has no TRUNCATE: its "DELETE FROM t" without WHERE still fires a row trigger (with a trigger
    # present the truncate optimisation is off), so refusing DELETE covers it.
    return [
        f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: {operation} on {table} is refused'); END"
        for operation in ("UPDATE", "DELETE")
    ]


def upgrade():
    op.create_table(
        "audit_event_objects",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["audit_events.id"], name=op.f("fk_audit_event_objects_event_id_audit_events")
        ),
        sa.PrimaryKeyConstraint("event_id", "entity_type", "entity_id", name=op.f("pk_audit_event_objects")),
    )
    op.create_index("ix_audit_event_objects_entity", "audit_event_objects", ["entity_type", "entity_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            for statement in _postgres_triggers(table):
                op.execute(statement)
    else:
        for table in TABLES:
            for statement in _sqlite_triggers(table):
                op.execute(statement)


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS audit_trail_is_append_only()")
    op.drop_index("ix_audit_event_objects_entity", table_name="audit_event_objects")
    op.drop_table("audit_event_objects")
