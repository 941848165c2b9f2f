"""Print batches: building, downloading, sending to print and posting; and the hook that queues renders."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from service.dao.requests import RENDER_AFTER_COMMIT
from service.extensions import db


def _after_commit(session) -> None:
    pending = session.info.pop(RENDER_AFTER_COMMIT, None)
    if pending:
        from workers.enqueue import enqueue_pending_renders

        enqueue_pending_renders(pending)


def _after_rollback(session) -> None:
    session.info.pop(RENDER_AFTER_COMMIT, None)


def init_app(app: Flask) -> None:
    from service.printing import cli, routes

    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_rollback", _after_rollback)
    app.register_blueprint(routes.bp)
    cli.init_app(app)
