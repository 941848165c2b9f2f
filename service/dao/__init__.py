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


def rows_changed(statement: Executable, parameters: dict[str, Any] | None = None) -> int:
    """Run an UPDATE or DELETE in the session and return how many rows it changed (what a compare-and-set checks)."""
    result = db.session.execute(statement, parameters)
    # Run time gives a CursorResult, which counts rows; Session.execute is typed with its base class, Result.
    return cast(CursorResult[Any], result).rowcount


def commit_without_waiting_for_disk() -> None:
    """Let this transaction's commit return before PostgreSQL has written it to disk (asynchronous commit).

    Only for what a crash of the database server (not of a web or worker process: PostgreSQL keeps every
    commit it acknowledged across those) could lose without breaking a promise: the next ordinary commit
    writes it to disk first, as the log is written in order. SQLite's commits are all like this already
    (`synchronous=NORMAL` with write-ahead logging, service/sqlite_tuning.py). The setting ends with the
    transaction.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit = off"))
