"""Every foreign key is indexed, so removing the row it points at never reads a whole table.

A database checks each foreign key pointing at a row it removes; without an index on the pointing column it
reads every row of that table. The phone menu's print-size step removed a caller row that way and read all
the calls logged (about 20 ms a step at 100,000 calls on PostgreSQL, while the caller waited). Checked on the
schema the migrations built, for every table there is, not a list of the ones remembered.
"""

from __future__ import annotations

from sqlalchemy import inspect

from service.extensions import db

# Staff accounts are switched off, never removed (the audit trail names them), so nothing checks these.
NEVER_REMOVED = {"staff_users"}


def _leading_columns(inspector, table: str) -> set[str]:
    """The columns an index (or the primary key, or a unique constraint) starts with: a lookup by one of them
    reads the index, not the table (a key of several columns needs only its first indexed for that)."""
    lists = [index["column_names"] for index in inspector.get_indexes(table)]
    lists += [unique["column_names"] for unique in inspector.get_unique_constraints(table)]
    lists.append(inspector.get_pk_constraint(table)["constrained_columns"])
    return {columns[0] for columns in lists if columns}


def test_every_foreign_key_to_a_table_whose_rows_are_removed_is_indexed(app_ctx):
    inspector = inspect(db.engine)
    unindexed = []
    for table in inspector.get_table_names():
        covered = _leading_columns(inspector, table)
        for key in inspector.get_foreign_keys(table):
            if key["referred_table"] in NEVER_REMOVED:
                continue
            if key["constrained_columns"][0] not in covered:
                unindexed.append(f"{table}({', '.join(key['constrained_columns'])}) -> {key['referred_table']}")
    assert unindexed == []
