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


def test_saving_a_render_names_each_drawn_copys_file_and_gives_every_live_copy_the_provider(app_ctx):
    from dataclasses import dataclass

    from sqlalchemy import select

    from service.dao.renders import Drawn, load_render_work, save_rendered_packs
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
    work = load_render_work(request.id)
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
