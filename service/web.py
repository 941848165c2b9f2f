"""Small helpers the screens share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort

T = TypeVar("T")
K = TypeVar("K")


def get_or_404(getter: Callable[[K], T | None], key: K) -> T:
    """Fetch one row with a dao getter (`get_request`, `get_batch`...), or answer 404 Not Found."""
    found = getter(key)
    if found is None:
        abort(404)
    return found
