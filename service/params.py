"""One shared parser for numbers and dates in URLs and forms: what the database can hold, or nothing.

A number past a 4-byte integer (2^31) overflows PostgreSQL's integer columns and one past 2^63 SQLite's;
Unicode digits ("²", "①") pass `str.isdigit` but are no id anyone typed. So every id in a route (the `int`
converter, replaced app-wide) and every number in a query string or form goes through here: out of range
or not plain ASCII digits is a 404 for a route, the default (or a field error) for a parameter.
"""

from __future__ import annotations

import re
from datetime import date

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from service.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters

INT_MAX = 2**31 - 1
_ASCII_INT = re.compile(r"-?[0-9]{1,10}")
# Dates a person could mean here: anything else is a typo, and 9999-12-31 plus a day overflows.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2199, 12, 31)


def bounded_int(text: str) -> int:
    """An integer written in ASCII digits that fits a database integer column; ValueError otherwise.

    Made to be the `type` of `request.args.get(...)`, which turns the ValueError into its default.
    """
    text = (text or "").strip()
    if not _ASCII_INT.fullmatch(text):
        raise ValueError("not a whole number in ASCII digits")
    value = int(text)
    if not -INT_MAX <= value <= INT_MAX:
        raise ValueError("out of range")
    return value


def positive_int(text: str) -> int:
    """Like bounded_int, 1 or more (ids and page numbers)."""
    value = bounded_int(text)
    if value < 1:
        raise ValueError("must be 1 or more")
    return value


def plain_day(text: str) -> date:
    """An ISO date (YYYY-MM-DD) between 1900 and 2199; ValueError otherwise."""
    day = date.fromisoformat((text or "").strip())
    if not EARLIEST_DAY <= day <= LATEST_DAY or len(text.strip()) != 10:
        raise ValueError("not a date in range")
    return day


class DatabaseId(IntegerConverter):
    """The app's `int` route converter: ASCII digits, 0 up to what a database integer column holds."""

    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


def refuse_control_characters_in_the_address() -> None:
    """A search or filter value with a control character (a NUL byte) is refused with a plain message.

    Forms say so beside the field (service/forms.py); the phone menu strips them (service/ivr/routes.py).
    """
    if request.blueprint == "ivr":
        return
    if any(has_control_characters(k) or has_control_characters(v) for k, v in request.args.items(multi=True)):
        from service.errors import render_error

        return render_error(
            400,
            "That search could not be used",
            f"A search or filter value {CONTROL_CHARACTERS_MESSAGE}.",
        )
    return None


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseId
    app.before_request(refuse_control_characters_in_the_address)
