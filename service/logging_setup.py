"""Logging: one plain format, and a filter that keeps personal data out of every log line."""

from __future__ import annotations

import logging
import re

from flask import Flask

# Last line of defence only: code logs ids, never names or addresses. These catch what slips through.
_PATTERNS = (
    # Query strings of searches hold names and postcodes: keep the path, drop the query.
    (re.compile(r"(\s/[^\s?]*)\?[^\s\"]*"), r"\1?[query]"),
    (re.compile(r"(?<!\d)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\d)"), "[phone]"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE), "[postcode]"),
)


class RedactPersonalData(logging.Filter):
    """Replace phone numbers and postcodes in log messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for pattern, replacement in _PATTERNS:
            message = pattern.sub(replacement, message)
        record.msg, record.args = message, None
        return True


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactPersonalData())
    root = logging.getLogger("service")
    if not any(isinstance(h, logging.StreamHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    # Werkzeug's access log prints full URLs; search query strings can hold names and postcodes.
    logging.getLogger("werkzeug").addFilter(RedactPersonalData())
