from datetime import date

from service.working_days import add_working_days, is_working_day


def test_ten_working_days_skip_weekends():
    assert add_working_days(date(2026, 11, 26), 10) == date(2026, 12, 10)  # Thursday to Thursday fortnight


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute
    # From Friday 18 December 2026: 25th and 28th December are bank holidays.
    assert add_working_days(date(2026, 12, 18), 10) == date(2027, 1, 6)
