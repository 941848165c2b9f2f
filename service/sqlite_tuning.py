"""SQLite, the embedded default: write-ahead logging and a busy timeout, so the web processes and the
worker can read while one of them writes, instead of failing or queueing behind each other."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from service.extensions import db

BUSY_TIMEOUT_MS = 5000


def _on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: never corrupt; a power cut may lose the last commits
    cursor.close()


def init_app(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        if not event.contains(db.engine, "connect", _on_connect):
            event.listen(db.engine, "connect", _on_connect)
