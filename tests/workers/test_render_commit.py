"""A render's commit does not wait for the disk on PostgreSQL; the request a caller is told about always does."""

from __future__ import annotations

from sqlalchemy import event, text

from service.extensions import db
from tests.factories import make_consultation, make_request
from workers.jobs import render_request_packs


def _setting_at_each_commit() -> list[str]:
    """Record, just before each commit of this session, how that commit will treat the disk."""
    seen: list[str] = []
    session = db.session()

    def note(session_) -> None:
        if db.engine.dialect.name == "postgresql":
            seen.append(session_.execute(text("SELECT current_setting('synchronous_commit')")).scalar())
        else:
            seen.append({0: "off", 1: "normal", 2: "full"}[session_.execute(text("PRAGMA synchronous")).scalar()])

    event.listen(session, "before_commit", note)
    return seen


def test_only_the_render_commits_without_waiting_for_the_disk(app_ctx, file_store):
    consultation = make_consultation()
    first = make_request(consultation)
    seen = _setting_at_each_commit()
    assert render_request_packs(first.id) == "rendered"
    make_request(consultation)  # the next request a caller is told about, in the same session and connection
    if db.engine.dialect.name == "postgresql":
        # The render (redone by the sweep if a crash loses it) does not wait; the setting ends with it.
        assert seen[0] == "off"
        assert seen[1:] and set(seen[1:]) == {"on"}
    else:
        assert set(seen) == {"normal"}  # SQLite's one setting for every commit (service/sqlite_tuning.py)
