"""The audit trail's filters as a supervisor types them: who, what, which record and when.

Read from the query string (the screen and its CSV download share them), kept as typed, and each wrong one
explained beside its own field. Actions are chosen by their label, so the address bar reads as words too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from service.dao.audit import (
    AuditSearch,
    ObjectKey,
    caller_exists,
    objects_of_caller,
    objects_of_request,
    request_id_by_reference,
    staff_by_username,
)
from service.dao.printing import get_batch
from service.dates import DateProblem, TypedDate, parse_typed, read_date_parts
from service.labels import ACTIONS
from service.models.consultations import UK
from service.params import positive_int
from service.reference import InvalidReference, format_reference, parse_reference

NO_ONE = "no-one"  # the "who" choice for entries no signed-in member of staff made
# What the object box can name, the hint shown for each, and the word used in its messages.
OBJECT_KINDS = {
    "request": ("Request", "its reference, such as 482 913 5570"),
    "batch": ("Print batch", "its number, such as 12"),
    "caller": ("Caller", "their number, such as 812, as the trail shows it"),
    "account": ("Staff account", "its username, such as jsmith"),
}
DATES = {"from": "From date", "to": "To date"}


def action_choices() -> list[str]:
    """Every action's label once, in alphabetical order: the action filter's options."""
    return sorted(set(ACTIONS.values()))


def actions_labelled(label: str) -> tuple[str, ...]:
    return tuple(code for code, text in ACTIONS.items() if text == label)


@dataclass
class AuditFilter:
    """The filters as typed, their problems by field id, and (when there are none) the search they make."""

    values: dict[str, str]
    typed: dict[str, TypedDate]
    errors: dict[str, str] = field(default_factory=dict)  # field id -> message
    error_parts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # date boxes to mark
    search: AuditSearch = field(default_factory=AuditSearch)

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(id of the field to jump to, message) for the error summary, in the order of the form."""
        order = ["who", "action", "object", "from", "to"]
        ids = {"from": f"from-{self.error_parts.get('from', ('day',))[0]}"}
        ids["to"] = f"to-{self.error_parts.get('to', ('day',))[0]}"
        return [(ids.get(name, name), self.errors[name]) for name in order if name in self.errors]

    @property
    def query(self) -> dict[str, str]:
        """The filters as typed, for the pagination links and the CSV download link."""
        kept = {k: v for k, v in self.values.items() if v and k != "page"}
        if not self.values["object"]:
            kept.pop("object_type", None)  # the kind of record matters only with one named
        for name, typed in self.typed.items():
            kept |= {f"{name}-{part}": value for part, value in typed.parts.items() if value}
        return kept


def read_filter(args: Any) -> AuditFilter:
    """Read the filters from a query string; anything wrong is a message, never a 500."""
    values = {k: (args.get(k) or "").strip() for k in ("who", "action", "object_type", "object", "page")}
    values["object_type"] = values["object_type"] if values["object_type"] in OBJECT_KINDS else "request"
    typed = {name: read_date_parts(args, name) for name in DATES}
    result = AuditFilter(values=values, typed=typed)
    actor_id, by_no_one = _who(values["who"], result)
    actions = _actions(values["action"], result)
    objects = _objects(values["object_type"], values["object"], result)
    days = {name: _day(name, typed[name], result) for name in DATES}
    if days["from"] and days["to"] and days["to"] < days["from"]:
        result.errors["to"] = "To date must be the same as or after the from date"
        result.error_parts["to"] = ("day", "month", "year")
    try:
        page = positive_int(values["page"]) if values["page"] else 1
    except ValueError:
        page = 1
    if not result.errors:
        result.search = AuditSearch(
            actor_id=actor_id,
            by_no_one=by_no_one,
            actions=actions,
            objects=tuple(objects),
            from_at=datetime.combine(days["from"], time(), tzinfo=UK) if days["from"] else None,
            before=datetime.combine(days["to"] + timedelta(days=1), time(), tzinfo=UK) if days["to"] else None,
            page=page,
        )
    return result


def _who(text: str, result: AuditFilter) -> tuple[int | None, bool]:
    if not text:
        return None, False
    if text == NO_ONE:
        return None, True
    user = staff_by_username(text)
    if user is None:
        result.errors["who"] = "Choose a member of staff from the list"
        return None, False
    return user.id, False


def _actions(label: str, result: AuditFilter) -> tuple[str, ...]:
    if not label:
        return ()
    codes = actions_labelled(label)
    if not codes:
        result.errors["action"] = "Choose an action from the list"
    return codes


def _objects(kind: str, text: str, result: AuditFilter) -> list[ObjectKey]:
    if not text:
        return []
    if kind == "request":
        try:
            reference = parse_reference(text)
        except InvalidReference as problem:
            result.errors["object"] = str(problem)
            return []
        request_id = request_id_by_reference(reference)
        if request_id is None:
            result.errors["object"] = f"No request has the reference {format_reference(reference)}"
            return []
        return objects_of_request(request_id)
    if kind == "account":
        user = staff_by_username(text)
        if user is None:
            result.errors["object"] = f"There is no staff account with the username {text[:80]}"
            return []
        return [("staff_user", user.id)]
    try:
        number = positive_int(text)
    except ValueError:
        noun = "print batch" if kind == "batch" else "caller"
        result.errors["object"] = f"Enter the {noun}'s number in digits, such as 12"
        return []
    if kind == "batch":
        if get_batch(number) is None:
            result.errors["object"] = f"There is no print batch {number}"
            return []
        return [("print_batch", number)]
    if not caller_exists(number):
        result.errors["object"] = f"There is no caller {number}"
        return []
    return objects_of_caller(number)


def _day(name: str, typed: TypedDate, result: AuditFilter):
    if typed.blank:
        return None
    try:
        return parse_typed(typed, DATES[name])
    except DateProblem as problem:
        result.errors[name] = problem.message
        result.error_parts[name] = problem.parts
        return None
