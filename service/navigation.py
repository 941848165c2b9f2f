"""The menus, as one table: a short primary menu per role, each area's other pages in its own sub-navigation.

A call handler's day is logging requests and calls; a keyer's is receiving and keying returns; a
supervisor's is watching, printing and personal data (and, now and then, everything else). So each role's
primary menu lists only its own few areas, and each area's other screens sit in a sub-navigation under the
menu when you are in that area (GOV.UK's service navigation with a sub-navigation per area).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from service.models import Role

CALL_HANDLER, DATA_ENTRY, SUPERVISOR = Role.CALL_HANDLER, Role.DATA_ENTRY, Role.SUPERVISOR


@dataclass(frozen=True)
class Page:
    endpoint: str
    label: str
    roles: tuple[Role, ...]  # who may open it (a supervisor may open everything)


@dataclass(frozen=True)
class Area:
    label: str
    primary_for: tuple[Role, ...]  # whose primary menu lists it
    pages: tuple[Page, ...]  # its sub-navigation; the first page is where the menu link goes
    blueprints: tuple[str, ...] = ()  # screens not in the menu (a request's page...) that belong to the area


NAVIGATION: tuple[Area, ...] = (
    Area("Log a request", (CALL_HANDLER,), (Page("requests.new", "Log a request", (CALL_HANDLER,)),)),
    Area("Log a call", (CALL_HANDLER,), (Page("calls.new", "Log a call", (CALL_HANDLER,)),)),
    Area("Receive returns", (DATA_ENTRY,), (
        Page("returns.receive", "Receive returned forms", (DATA_ENTRY,)),
        Page("returns.receive_unreferenced", "Form with no readable reference", (DATA_ENTRY,)),
        Page("scans.index", "Scanned returns", (DATA_ENTRY,)),
    ), ("scans",)),
    Area("Key a return", (DATA_ENTRY,), (
        Page("returns.find_to_key", "Key a return", (DATA_ENTRY,)),
        Page("phone_responses.index", "Phone answers to check", (DATA_ENTRY,)),
    ), ("phone_responses",)),
    Area("Dashboard", (SUPERVISOR,), (Page("dashboard.index", "Dashboard", ()),), ("dashboard",)),
    Area("Requests", (CALL_HANDLER, SUPERVISOR), (
        Page("requests.index", "Find a request", (CALL_HANDLER,)),
        Page("requests.new", "Log a request", (CALL_HANDLER,)),
        Page("requests.alternative_formats", "Alternative formats", (CALL_HANDLER,)),
        Page("address_checks.index", "Address checks", (CALL_HANDLER,)),
    ), ("requests", "address_checks")),
    Area("Calls", (CALL_HANDLER, SUPERVISOR), (
        Page("calls.callbacks", "Callbacks", (CALL_HANDLER,)),
        Page("calls.index", "Call log", (CALL_HANDLER,)),
        Page("calls.new", "Log a call", (CALL_HANDLER,)),
    ), ("calls",)),
    Area("Returns", (DATA_ENTRY, SUPERVISOR), (
        Page("returns.index", "Returns", (DATA_ENTRY,)),
        Page("returns.receive", "Receive", (DATA_ENTRY,)),
        Page("returns.find_to_key", "Key a return", (DATA_ENTRY,)),
        Page("phone_responses.index", "Phone answers to check", (DATA_ENTRY,)),
        Page("returns.progress", "Progress", (DATA_ENTRY,)),
        Page("returns.export", "Export responses", ()),
        Page("returns.keying_modes", "Keying mode", ()),
    ), ("returns",)),
    Area("Print batches", (SUPERVISOR,), (
        Page("print_batches.index", "Print batches", ()),
        Page("jobs.index", "Queue", ()),
    ), ("print_batches", "jobs")),
    Area("Personal data", (SUPERVISOR,), (
        Page("personal_data.search", "Find a person", ()),
        Page("audit.index", "Audit trail", ()),
        Page("staff.index", "Staff accounts", ()),
    ), ("personal_data", "audit", "staff")),
)  # fmt: skip


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: str | None  # aria-current: "page" for the screen itself, "true" for the area it is in


@dataclass(frozen=True)
class Menus:
    primary: list[Link]
    secondary: list[Link]  # the current area's pages, when it has more than one
    area: str | None  # the current area's label, to name the sub-navigation


def _may_open(page: Page, role: Role) -> bool:
    return role == SUPERVISOR or role in page.roles


def current_area(areas: list[Area], endpoint: str | None) -> Area | None:
    """The area a screen belongs to: one listing it, else one owning its blueprint."""
    if not endpoint:
        return None
    listed = next((a for a in areas if any(p.endpoint == endpoint for p in a.pages)), None)
    return listed or next((a for a in areas if endpoint.split(".")[0] in a.blueprints), None)


def _current(area: Area, here: Area | None, endpoint: str | None) -> str | None:
    if area is not here:
        return None
    return "page" if area.pages[0].endpoint == endpoint else "true"


def menus_for(role: Role, endpoint: str | None) -> Menus:
    """The primary menu of one role and the sub-navigation of the area the screen `endpoint` is in."""
    areas = [a for a in NAVIGATION if role in a.primary_for]
    here = current_area(areas, endpoint)
    primary = [Link(a.label, url_for(a.pages[0].endpoint), _current(a, here, endpoint)) for a in areas]
    secondary = []
    if here is not None:
        pages = [p for p in here.pages if _may_open(p, role)]
        if len(pages) > 1:
            secondary = [Link(p.label, url_for(p.endpoint), "page" if p.endpoint == endpoint else None) for p in pages]
    return Menus(primary, secondary, here.label if here else None)


def _menus() -> Menus | None:
    if not current_user.is_authenticated:
        return None
    return menus_for(current_user.role, request.endpoint)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(navigation=_menus)
