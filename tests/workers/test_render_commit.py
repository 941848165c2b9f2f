"""A render's commit does not wait for the disk on PostgreSQL; the request a caller is told about always does."""

from __future__ import annotations

import re

import pytest
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


@pytest.fixture
def render_saves():
    """For each render save run as one statement (PostgreSQL), whether its connection was in autocommit."""
    seen: list[bool] = []

    def note(connection, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().startswith("WITH asynchronous_commit"):
            seen.append(connection.connection.dbapi_connection.autocommit)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def test_only_the_render_commits_without_waiting_for_the_disk(app_ctx, file_store, render_saves):
    from service.dao.requests import get_request
    from service.models import RequestStatus

    consultation = make_consultation()
    first = make_request(consultation)
    seen = _setting_at_each_commit()
    assert render_request_packs(first.id) == "rendered"
    make_request(consultation)  # the next request a caller is told about, in the same session and connection
    if db.engine.dialect.name == "postgresql":
        # The render's save is a transaction alone (autocommit) that moves the request only once it has set its
        # own commit not to wait (redone by the sweep if a crash loses it); the setting ends with it.
        assert render_saves == [True]
        assert get_request(first.id).status == RequestStatus.PACK_READY
        assert seen and set(seen) == {"on"}  # every commit of the session waits, the next request's among them
    else:
        assert render_saves == []
        assert set(seen) == {"normal"}  # SQLite's one setting for every commit (service/sqlite_tuning.py)


def test_saving_a_render_names_each_drawn_copys_file_and_gives_every_live_copy_the_provider(app_ctx):
    from dataclasses import dataclass

    from sqlalchemy import select

    from service.dao.renders import Drawn, rendering, save_rendered_packs
    from service.dao.requests import get_request, get_status_history
    from service.models import Pack, RequestStatus

    @dataclass
    class Stored:
        key: str
        size: int
        sha256: str

    request = make_request(make_consultation(), copies=3)
    first, second, third = request.packs
    first.file_key, first.page_count = "packs/drawn-before.pdf", 8  # drawn by an earlier run of the job
    first.rendered_at = first.created_at
    third.cancelled_at = third.created_at  # cancelled on its own: never given to a provider
    db.session.commit()
    with rendering(request.id) as work:
        assert [(copy.pack_id, copy.drawn) for copy in work.copies] == [(first.id, True), (second.id, False)]
        save_rendered_packs(work, [Drawn(second.id, Stored("packs/new.pdf", 1234, "ab" * 32), 8)], "notify")

    db.session.expire_all()
    rows = {pack.id: pack for pack in db.session.scalars(select(Pack).where(Pack.request_id == request.id))}
    assert (rows[first.id].file_key, rows[first.id].provider) == ("packs/drawn-before.pdf", "notify")
    saved = rows[second.id]
    assert (saved.file_key, saved.file_size, saved.file_sha256, saved.page_count) == (
        "packs/new.pdf",
        1234,
        "ab" * 32,
        8,
    )
    assert saved.rendered_at is not None and saved.questionnaire_version is not None and saved.provider == "notify"
    assert (rows[third.id].file_key, rows[third.id].provider) == (None, None)
    assert get_request(request.id).status == RequestStatus.PACK_READY
    assert [(c.from_status, c.to_status, c.actor_label) for c in get_status_history(request.id)][-1] == (
        "waiting_for_pack",
        "pack_ready",
        "Print worker",
    )


def test_the_save_reads_only_the_requests_own_rows_whatever_plan_the_database_keeps(app_ctx):
    """A render's save must not read whole tables: the plan kept for a statement run again and again (PostgreSQL's
    generic plan of a prepared statement) once read every pack at every render, slower as the packs grew."""
    from service.dao import renders

    request = make_request(make_consultation(), copies=2)
    work = renders.load_render_work(request.id)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
        parameters = {
            "request_id": work.request_id,
            "waiting": "waiting_for_pack",
            "ready": "pack_ready",
            "actor": renders.WORKER,
            "now": work.requested_at,
            "version": 1,
            "provider": None,
            "pack_ids": [copy.pack_id for copy in work.copies],
            "drawn": [True, True],
            "file_keys": ["packs/a.pdf", "packs/b.pdf"],
            "file_sizes": [1, 1],
            "file_hashes": ["a" * 64, "b" * 64],
            "page_counts": [8, 8],
        }
        plan = "\n".join(db.session.execute(text("EXPLAIN " + renders._SAVE_RENDERED_PACKS.text), parameters).scalars())
        assert "Seq Scan" not in plan, plan
    else:
        for statement in (renders._MOVE, renders._FILE, renders._PROVIDER):
            sql = re.sub(r"\(__\[POSTCOMPILE_\w+\]\)", "(?, ?)", str(statement.compile(db.engine)))
            rows = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, (None,) * sql.count("?"))
            plan = " ".join(str(row[-1]) for row in rows)
            assert "SEARCH" in plan and "SCAN" not in plan, plan
    db.session.rollback()
