"""A web process's slow one-off work, done when it starts rather than while a caller waits.

Each web process used to do it on the first request that needed it: the pack fonts read and their character
sets built (about 0.2 s), the braille and audio tools probed by running them (about 0.2 s more). That first
request was a phone-menu caller's "which print size?" step, or a handler's saved form: the slowest answers
under load (p99 of the menu's print-size step 0.56 s on SQLite, 0.63 s on PostgreSQL in `make bench`).
"""

from __future__ import annotations

from flask import Flask

from service.accessible_formats.tools import formats_made_here
from service.packs.fonts import load_fonts
from service.packs.postal_rules import window_problems


def warm_up(app: Flask) -> None:
    """Load what every request that checks or makes a request needs, once, before this process answers."""
    with app.app_context():
        load_fonts()
        window_problems(["A Caller", "1 Lark Lane", "Liverpool", "L17 8UU"])  # widths and shaping tables
        formats_made_here()  # probes the braille and audio tools once per process
