"""`GET /healthz`: is the database reachable, is Redis reachable."""

from __future__ import annotations

import logging

from flask import jsonify
from sqlalchemy import text

from service.extensions import db
from service.healthz import bp
from service.queues import redis_connection

log = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception as error:  # any failure means "not reachable"; the type says why
        log.warning("Health check: database unreachable (%s)", type(error).__name__)
        db.session.rollback()
        return False


def _redis_ok() -> bool:
    try:
        return bool(redis_connection().ping())
    except Exception as error:
        log.warning("Health check: Redis unreachable (%s)", type(error).__name__)
        return False


@bp.get("")
def healthz():
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    healthy = all(checks.values())
    return jsonify(status="ok" if healthy else "unavailable", **checks), 200 if healthy else 503
