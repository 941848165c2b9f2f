"""The embedded SQLite database lets readers in while one process writes."""

from sqlalchemy import text

from service.extensions import db


def test_sqlite_runs_in_write_ahead_mode_with_a_busy_timeout(app_ctx):
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"  # nothing to tune on PostgreSQL
        return
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
