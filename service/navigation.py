"""The main menu: one table of screens, each with the role that sees it, in the order they are shown."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask_login import current_user

from service.models import Role


@dataclass(frozen=True)
class MenuItem:
    endpoint: str
    label: str
    role: Role


MENU: tuple[MenuItem, ...] = (
    MenuItem("requests.new", "Log a request", Role.CALL_HANDLER),
    MenuItem("calls.new", "Log a call", Role.CALL_HANDLER),
    MenuItem("requests.index", "Requests", Role.CALL_HANDLER),
    MenuItem("calls.index", "Call log", Role.CALL_HANDLER),
    MenuItem("calls.callbacks", "Callbacks", Role.CALL_HANDLER),
    MenuItem("requests.alternative_formats", "Alternative formats", Role.CALL_HANDLER),
    MenuItem("address_checks.index", "Address checks", Role.CALL_HANDLER),
    MenuItem("returns.receive", "Receive returns", Role.DATA_ENTRY),
    MenuItem("returns.find_to_key", "Key a return", Role.DATA_ENTRY),
    MenuItem("returns.index", "Returns", Role.DATA_ENTRY),
    MenuItem("returns.progress", "Returns progress", Role.DATA_ENTRY),
    MenuItem("phone_responses.index", "Phone answers to check", Role.DATA_ENTRY),
    MenuItem("returns.export", "Export responses", Role.SUPERVISOR),
    MenuItem("returns.keying_modes", "Keying mode", Role.SUPERVISOR),
    MenuItem("dashboard.index", "Dashboard", Role.SUPERVISOR),
    MenuItem("print_batches.index", "Print batches", Role.SUPERVISOR),
    MenuItem("jobs.index", "Queue", Role.SUPERVISOR),
    MenuItem("personal_data.search", "Personal data", Role.SUPERVISOR),
    MenuItem("audit.index", "Audit trail", Role.SUPERVISOR),
)


def menu_for_current_user() -> list[MenuItem]:
    """The menu items the signed-in person's role may use (none when nobody is signed in)."""
    if not current_user.is_authenticated:
        return []
    return [item for item in MENU if current_user.has_role(item.role)]


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"menu": menu_for_current_user()})
