"""Dates as UK staff type them: GOV.UK's date input (day, month and year boxes; hours and minutes where a
time is needed), read in UK time, with a message that says which part is wrong and keeps what was typed.

One parser for every date on every screen; forms use `DateInputField`, plain GET forms `read_date_parts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from wtforms import Field
from wtforms.utils import unset_value

from service.models.consultations import UK

DATE_PARTS = ("day", "month", "year")
TIME_PARTS = ("hour", "minute")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Every date this service meets (consultations, calls, returns, posting) is in this century: a year outside
# it is a slip, and refusing it here keeps date arithmetic (a search "to" 31 December 9999) from overflowing.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099
_NUMBER = re.compile(r"[0-9]{1,4}")  # ASCII digits only: int() would take "²" or Arabic-Indic digits too
_LABELS = {"day": "a day", "month": "a month", "year": "a year", "hour": "an hour", "minute": "minutes"}


class DateProblem(ValueError):
    """What is wrong with a typed date, and which boxes to mark."""

    def __init__(self, message: str, parts: tuple[str, ...]) -> None:
        super().__init__(message)
        self.message, self.parts = message, parts


@dataclass
class TypedDate:
    """The boxes as typed (kept to show again), and what they mean once read."""

    parts: dict[str, str] = field(default_factory=dict)
    with_time: bool = False

    @property
    def blank(self) -> bool:
        return not any(v.strip() for v in self.parts.values())


def _number(text: str, part: str, what: str) -> int:
    text = text.strip()
    if part == "month" and text.lower().rstrip(".") in MONTHS:
        return MONTHS[text.lower().rstrip(".")]
    if not _NUMBER.fullmatch(text):
        noun = "time" if part in TIME_PARTS else "date"
        raise DateProblem(f"{what} must be a real {noun}", (part,))
    return int(text)


def parse_typed(typed: TypedDate, what: str) -> date | datetime:
    """Read the boxes as a date (or, with a time, a UK datetime); raise DateProblem saying what is wrong.

    `what` names the date in messages, capitalised: "Date received", "Call back by".
    """
    names = DATE_PARTS + (TIME_PARTS if typed.with_time else ())
    if typed.blank:
        raise DateProblem(f"Enter {what[0].lower()}{what[1:]}", names)
    missing = tuple(n for n in names if not typed.parts.get(n, "").strip())
    if missing:
        labels = [_LABELS[n] for n in missing]
        wanted = " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
        raise DateProblem(f"{what} must include {wanted}", missing)
    values = {n: _number(typed.parts[n], n, what) for n in names}
    if len(typed.parts["year"].strip()) != 4:
        raise DateProblem("Year must include 4 numbers", ("year",))
    if not EARLIEST_YEAR <= values["year"] <= LATEST_YEAR:
        raise DateProblem(f"Year must be between {EARLIEST_YEAR} and {LATEST_YEAR}", ("year",))
    try:
        day = date(values["year"], values["month"], values["day"])
    except ValueError:
        wrong = ("month",) if not 1 <= values["month"] <= 12 else ("day",)
        raise DateProblem(f"{what} must be a real date", wrong) from None
    if not typed.with_time:
        return day
    if not 0 <= values["hour"] <= 23:
        raise DateProblem(f"{what} must be a real time: hours from 0 to 23", ("hour",))
    if not 0 <= values["minute"] <= 59:
        raise DateProblem(f"{what} must be a real time: minutes from 0 to 59", ("minute",))
    return datetime(day.year, day.month, day.day, values["hour"], values["minute"], tzinfo=UK)


def parts_of(value: date | datetime | None, with_time: bool) -> dict[str, str]:
    """The boxes filled in from a stored value (UK time)."""
    if value is None:
        return {}
    if isinstance(value, datetime):
        value = value.astimezone(UK)
    parts = {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
    if with_time and isinstance(value, datetime):
        parts |= {"hour": f"{value.hour:02d}", "minute": f"{value.minute:02d}"}
    return parts


def _whole(text: str, with_time: bool) -> dict[str, str] | None:
    """A date sent whole, as scripts and older clients do (2026-11-27, 2026-11-27T14:30): its parts."""
    match = re.fullmatch(r"\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]([0-9]{1,2}):([0-9]{2}))?\s*", text or "")
    if not match:
        return None
    year, month, day, hour, minute = match.groups()
    parts = {"day": day, "month": month, "year": year}
    if with_time:
        parts |= {"hour": hour or "", "minute": minute or ""}
    return parts


def read_date_parts(source: Any, name: str, with_time: bool = False) -> TypedDate:
    """The boxes named `name-day`, `name-month`... from a form or query string (or `name` sent whole)."""
    names = DATE_PARTS + (TIME_PARTS if with_time else ())
    parts = {n: str(source.get(f"{name}-{n}", "")) for n in names}
    if not any(parts.values()) and source.get(name):
        parts = _whole(str(source.get(name)), with_time) or {"day": str(source.get(name)), "month": "", "year": ""}
    return TypedDate(parts, with_time)


class DateInputField(Field):
    """A WTForms field for GOV.UK's date input: `data` is a date (or a UK datetime with `with_time`)."""

    def __init__(self, label=None, validators=None, *, with_time: bool = False, required: bool = True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.with_time, self.required = with_time, required
        self.posted: TypedDate | None = None  # the boxes as typed, when the form was posted
        self.problem: DateProblem | None = None

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = self.data = data
        self.posted, self.raw_data = None, None
        if formdata is None:
            return
        names = {self.name} | {f"{self.name}-{n}" for n in DATE_PARTS + TIME_PARTS}
        if not names & set(formdata):
            return  # the form was posted without this field at all: keep the default
        typed = read_date_parts(formdata, self.name, self.with_time)
        self.posted, self.raw_data, self.data, self.problem = typed, list(typed.parts.values()), None, None
        if typed.blank and not self.required:
            return
        try:
            self.data = parse_typed(typed, self.label.text)
        except DateProblem as problem:
            self.problem = problem
            self.process_errors.append(problem.message)

    @property
    def typed(self) -> TypedDate:
        """What the boxes show: what was typed, else the field's value (a default, or one set by the view)."""
        return self.posted or TypedDate(parts_of(self.data, self.with_time), self.with_time)

    @property
    def bad_parts(self) -> tuple[str, ...]:
        if self.problem is not None:
            return self.problem.parts
        if self.errors:  # a range or required message from a validator: the whole date is wrong
            return DATE_PARTS + (TIME_PARTS if self.with_time else ())
        return ()

    @property
    def first_error_id(self) -> str:
        """Where the error summary's link goes: the first box that is wrong."""
        return f"{self.id}-{(self.bad_parts or ('day',))[0]}"

    def _value(self) -> str:
        return ""
