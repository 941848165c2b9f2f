"""One app per worker process, built once; jobs run inside its context."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask, has_app_context

P = ParamSpec("P")
R = TypeVar("R")
_app: Flask | None = None
_pid: int | None = None


def get_app() -> Flask:
    """The worker's app; rq's work horse is a fork, so it inherits this one already built."""
    global _app, _pid
    if _app is None:
        from service import create_app

        _app = create_app()
    if _pid != os.getpid():
        # A forked horse must not share the parent's database connections: drop them, keep the app.
        with _app.app_context():
            from service.extensions import db

            db.engine.dispose(close=False)
        _pid = os.getpid()
    return _app


def use_app(app: Flask) -> None:
    """Make `app` the worker's app (the worker entry point and tests build it themselves)."""
    global _app, _pid
    _app, _pid = app, os.getpid()


def in_app_context(job: Callable[P, R]) -> Callable[P, R]:
    """Run a job inside the worker's app context (or the caller's, if it already has one)."""

    @wraps(job)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if has_app_context():
            return job(*args, **kwargs)
        with get_app().app_context():
            return job(*args, **kwargs)

    return wrapper
