"""Advisers' opening hours."""

from __future__ import annotations

from datetime import datetime

import pytest

from service.ivr.hours import InvalidHours, parse_hours
from service.models.consultations import UK

HOURS = parse_hours("Mon-Fri 09:00-17:00; Sat 10:00-12:30")


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (datetime(2026, 11, 25, 9, 0, tzinfo=UK), True),  # a Wednesday, opening time
        (datetime(2026, 11, 25, 16, 59, tzinfo=UK), True),
        (datetime(2026, 11, 25, 17, 0, tzinfo=UK), False),  # closing time
        (datetime(2026, 11, 28, 11, 0, tzinfo=UK), True),  # Saturday morning
        (datetime(2026, 11, 29, 11, 0, tzinfo=UK), False),  # Sunday
        (datetime(2026, 12, 25, 11, 0, tzinfo=UK), False),  # Christmas Day, a Friday bank holiday
        (datetime(2026, 7, 1, 8, 30, tzinfo=UK), False),  # summer time: 08:30 BST is before opening
    ],
)
def test_open_or_not(moment, is_open):
    assert HOURS.is_open(moment) is is_open


def test_the_next_opening_skips_weekends_and_bank_holidays():
    friday_evening = datetime(2026, 12, 24, 18, 0, tzinfo=UK)  # Thursday 24th; 25th and 28th are holidays
    assert HOURS.next_opening(friday_evening) == datetime(2026, 12, 26, 10, 0, tzinfo=UK)
    open_now = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
    assert HOURS.next_opening(open_now) == open_now


def test_the_hours_are_said_in_words():
    assert HOURS.describe() == "Monday to Friday, 9am to 5pm; and Saturday, 10am to 12:30pm"


@pytest.mark.parametrize(
    "text", ["Mon-Fri", "Mon-Fri 9-5", "Fri-Mon 09:00-17:00", "Mon 17:00-09:00", "Xyz 09:00-10:00"]
)
def test_unreadable_hours_stop_start_up(text):
    with pytest.raises(InvalidHours):
        parse_hours(text)


def test_bank_holidays_close_the_line_unless_it_is_staffed_on_them():
    christmas_noon = datetime(2026, 12, 25, 12, 0, tzinfo=UK)  # a Friday
    assert not parse_hours("Mon-Fri 09:00-17:00").is_open(christmas_noon)
    assert parse_hours("Mon-Fri 09:00-17:00", closed_on_bank_holidays=False).is_open(christmas_noon)
