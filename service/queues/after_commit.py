"""Queue the renders a commit made due, once it has committed (never for work a rollback undid)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from service.dao.requests import RENDER_AFTER_COMMIT
from service.extensions import db


def _after_commit(session: Session) -> None:
    pending = session.info.pop(RENDER_AFTER_COMMIT, None)
    if pending:
        from service.queues.enqueue import enqueue_pending_renders

        enqueue_pending_renders(pending)


def _after_rollback(session: Session) -> None:
    session.info.pop(RENDER_AFTER_COMMIT, None)


def listen() -> None:
    """Hook the session's commit and rollback (once per process, however many apps are made)."""
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_rollback", _after_rollback)
