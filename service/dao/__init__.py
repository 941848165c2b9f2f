"""Data access: every query has a named function here, and `transactional` owns commits.

Views and jobs call these functions; they never build queries or commit themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar, cast

from sqlalchemy import CursorResult, Executable

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
