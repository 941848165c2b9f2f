"""One-time form keys in pages: each form that makes something carries a fresh key in a hidden field.

Shown again after a problem, the form keeps the key it was submitted with: nothing was made, and the
next submission is the same intent. See service/dao/form_keys.py for how a key is used once.
"""

from __future__ import annotations

import re
import secrets

from flask import Flask, request
from markupsafe import Markup

FIELD = "form_key"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def submitted_form_key() -> str | None:
    """The key the submitted form carried, or None if it carried none (or something else)."""
    key = request.form.get(FIELD, "")
    return key if _SHAPE.fullmatch(key) else None


def form_key_field(action: str | None = None) -> Markup:
    """The hidden field; on a page with several forms, `action` says which one keeps a submitted key."""
    kept = request.method == "POST" and (action is None or action == request.path)
    key = (submitted_form_key() if kept else None) or secrets.token_urlsafe(24)
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, key)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["form_key_field"] = form_key_field
