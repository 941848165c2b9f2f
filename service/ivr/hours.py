"""Advisers' opening hours, from the ADVISER_HOURS setting (UK time): `Mon-Fri 09:00-17:00; Sat 10:00-12:00`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from service.models.consultations import UK
from service.working_days import is_working_day

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_GROUP = re.compile(r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$")


class InvalidHours(ValueError):
    """ADVISER_HOURS cannot be read."""


@dataclass(frozen=True)
class Opening:
    weekdays: tuple[int, ...]
    start: time
    end: time


@dataclass(frozen=True)
class OpeningHours:
    openings: tuple[Opening, ...]
    closed_on_bank_holidays: bool = True

    def is_open(self, moment: datetime) -> bool:
        """Say whether advisers answer at `moment` (closed on bank holidays in England, unless set otherwise)."""
        local = moment.astimezone(UK)
        if self.closed_on_bank_holidays and local.weekday() < 5 and not is_working_day(local.date()):
            return False
        return any(
            local.weekday() in opening.weekdays and opening.start <= local.time() < opening.end
            for opening in self.openings
        )

    def next_opening(self, moment: datetime) -> datetime:
        """The next moment advisers answer (`moment` itself when open now); a week ahead if never."""
        if self.is_open(moment):
            return moment
        local = moment.astimezone(UK)
        for days_ahead in range(0, 15):
            day = local.date() + timedelta(days=days_ahead)
            if day.weekday() < 5 and not is_working_day(day):
                continue
            starts = sorted(o.start for o in self.openings if day.weekday() in o.weekdays)
            for start in starts:
                candidate = datetime.combine(day, start, tzinfo=UK)
                if candidate > local:
                    return candidate
        return moment + timedelta(days=7)

    def describe(self) -> str:
        """Say the hours in words: `Monday to Friday, 9am to 5pm`."""
        parts = []
        for opening in self.openings:
            first, last = DAY_NAMES[opening.weekdays[0]], DAY_NAMES[opening.weekdays[-1]]
            days = first if first == last else f"{first} to {last}"
            parts.append(f"{days}, {_clock(opening.start)} to {_clock(opening.end)}")
        return "; and ".join(parts)


def _clock(value: time) -> str:
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _time(text: str) -> time:
    hours, minutes = (int(n) for n in text.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    return time(hours, minutes)


def parse_hours(text: str, closed_on_bank_holidays: bool = True) -> OpeningHours:
    """Read ADVISER_HOURS, or raise InvalidHours saying what is wrong."""
    openings = []
    for group in filter(None, (g.strip().lower() for g in re.split(r"[;,]", text or ""))):
        match = _GROUP.match(group)
        if not match or match["first"] not in DAYS or (match["last"] or match["first"]) not in DAYS:
            raise InvalidHours(f"ADVISER_HOURS: cannot read {group!r}; write it like 'Mon-Fri 09:00-17:00'")
        first, last = DAYS.index(match["first"]), DAYS.index(match["last"] or match["first"])
        try:
            start, end = _time(match["start"]), _time(match["end"])
        except ValueError:
            raise InvalidHours(f"ADVISER_HOURS: {group!r} has a time that does not exist") from None
        if last < first or end <= start:
            raise InvalidHours(f"ADVISER_HOURS: {group!r} ends before it starts")
        openings.append(Opening(tuple(range(first, last + 1)), start, end))
    return OpeningHours(tuple(openings), closed_on_bank_holidays)
