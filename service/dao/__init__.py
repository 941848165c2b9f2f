"""Data access: every query has a named function here, and `transactional` owns commits.

Views and jobs call these functions; they never build queries or commit themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar, cast

from sqlalchemy import CursorResult, Executable, text

from service.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Commit when `func` returns, roll back if it raises; nested calls join the outer transaction."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if db.session.info.get("in_transaction"):
            return func(*args, **kwargs)
        db.session.info["in_transaction"] = True
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            return result
        except BaseException:
            db.session.rollback()
            raise
        finally:
            db.session.info["in_transaction"] = False

    return wrapper


def rows_changed(statement: Executable) -> int:
    """Run an UPDATE or DELETE in the session and return how many rows it changed (what a compare-and-set checks)."""
    result = db.session.execute(statement)
    # Run time gives a CursorResult, which counts rows; Session.execute is typed with its base class, Result.
    return cast(CursorResult[Any], result).rowcount


def commit_without_waiting_for_disk() -> None:
    """Let this transaction's commit return before PostgreSQL has written it to disk (asynchronous commit).

    Only for work the service redoes by itself if a crash of the database server loses it. A render is such work:
    lost, the request still waits for its pack, the sweep queues it again and the same bytes are drawn. Nothing
    that depends on it can outlive it either: any later ordinary commit (a print batch claiming the pack, a
    provider's reference recorded) waits for the log up to itself, and the log is written in order, so this
    commit reaches the disk first. The wait was a fifth of a render job's time beyond the drawing on PostgreSQL.
    The setting ends with the transaction. SQLite: nothing to do (its commits are already `synchronous=NORMAL`).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit = off"))
