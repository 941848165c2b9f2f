"""Queue the renders a commit made due, once it has committed (never for work a rollback undid)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from service.dao.requests import RENDER_AFTER_COMMIT
from service.dao.texts import FORGET_AFTER_COMMIT, SEND_AFTER_COMMIT
from service.extensions import db


def _after_commit(session: Session) -> None:
    pending = session.info.pop(RENDER_AFTER_COMMIT, None)
    if pending:
        from service.queues.enqueue import enqueue_pending_renders

        enqueue_pending_renders(pending)
    texts = session.info.pop(SEND_AFTER_COMMIT, None)
    forgotten = session.info.pop(FORGET_AFTER_COMMIT, None)
    if texts or forgotten:
        from service.queues.enqueue import enqueue_after_commit, enqueue_forget_text, enqueue_send_text

        if texts:
            enqueue_after_commit("text", texts, enqueue_send_text)
        if forgotten:
            enqueue_after_commit("erase text", forgotten, enqueue_forget_text)


def _after_rollback(session: Session) -> None:
    for key in (RENDER_AFTER_COMMIT, SEND_AFTER_COMMIT, FORGET_AFTER_COMMIT):
        session.info.pop(key, None)


def listen() -> None:
    """Hook the session's commit and rollback (once per process, however many apps are made)."""
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_rollback", _after_rollback)
