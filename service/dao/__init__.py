"""Data access: every query has a named function here, and `transactional` owns commits.

Views and jobs call these functions; they never build queries or commit themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

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
