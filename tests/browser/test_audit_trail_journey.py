"""A supervisor asks the audit trail "who erased whom last week?" and reads the answer in one filtered view,
by keyboard, in a real browser; a wrong date is explained beside its boxes and the screen passes axe."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from service.dao import transactional
from service.dao.audit import record_audit
from service.models import Role
from service.models.consultations import UK
from service.models.types import uk_today
from tests.browser.keyboard import tab_to
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_request, make_staff

pytestmark = pytest.mark.browser


@transactional
def _erased_on(day_offset: int, actor_id: int, caller_id: int) -> None:
    at = datetime.combine(uk_today() + timedelta(days=day_offset), time(11), tzinfo=UK)
    record_audit(actor_id, "privacy.erased", "caller", caller_id, fields=["name", "address"]).at = at


@pytest.fixture
def erasures(app) -> dict[str, int]:
    """Sam will erase one caller now; Kim erased another 4 days ago; Sam a third 12 days ago (the week before)."""
    with app.app_context():
        consultation = make_consultation("erasures", title="Erasures consultation")
        callers = [
            make_request(consultation, name=name, address_line_1=f"{n} Hope Street").caller_id
            for n, name in enumerate(("Rhiannon Price", "Olu Adeyemi", "Tom Brady"), start=1)
        ]
        make_staff(Role.SUPERVISOR, username="sam", display_name="Sam Supervisor")
        kim = make_staff(Role.SUPERVISOR, username="kim", display_name="Kim Supervisor")
        sam_id = make_staff(Role.SUPERVISOR, username="sam2", display_name="Sam Other").id
        _erased_on(-4, kim.id, callers[1])
        _erased_on(-12, sam_id, callers[2])
        record_audit(kim.id, "privacy.viewed", "caller", callers[2])
        return {"now": callers[0], "kim": callers[1], "older": callers[2]}


def _type_date(page, name: str, day) -> None:
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        tab_to(page, id=f"{name}-{part}")
        page.keyboard.press("Control+A")
        page.keyboard.type(str(value))


def test_who_erased_whom_last_week_in_one_filtered_view(page, live_server, erasures):
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", "sam")
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")

    # Erase one person the usual way.
    page.goto(f"{live_server}/personal-data/callers/{erasures['now']}")
    tab_to(page, text="Erase this person's data")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/erase$"))
    type_into(page, "reason", "They asked us to")
    page.get_by_role("button", name="Erase this person's data").click()
    page.wait_for_url(re.compile(r"/personal-data"))

    tab_to(page, text="Audit trail")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/audit")

    # One view: what was done = erased; from a week ago to today.
    tab_to(page, id="action")
    page.keyboard.type("Erased personal data")
    assert page.locator("#action").input_value() == "Erased personal data"
    today = uk_today()
    _type_date(page, "from", today - timedelta(days=7))
    _type_date(page, "to", today)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/audit\?"))

    assert page.locator("#result-count").inner_text().startswith("2 entries found")
    rows = [[cell.inner_text() for cell in row.locator("td").all()] for row in page.locator("#audit tbody tr").all()]
    assert [(row[1], row[3]) for row in rows] == [
        ("Sam Supervisor (sam)", f"Caller {erasures['now']}"),
        ("Kim Supervisor (kim)", f"Caller {erasures['kim']}"),
    ]
    assert rows[0][2].startswith(f"Erased personal data of caller {erasures['now']}")
    assert rows[0][2].endswith("Reason: They asked us to")
    assert rows[1][2] == f"Erased personal data of caller {erasures['kim']}: name, address"
    body = page.locator("main").inner_text()
    assert "Rhiannon" not in body and "Olu" not in body and "privacy." not in body
    assert page.locator("#action").input_value() == "Erased personal data"  # the filters stay as chosen
    assert page.locator("#from-year").input_value() == str((today - timedelta(days=7)).year)
    assert_accessible(page)

    # The same view as a file.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these entries as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.count("Erased personal data of caller") == 2 and "Sam Other" not in text

    # A date that cannot be: said beside its boxes, what was typed kept.
    tab_to(page, id="to-day")
    page.keyboard.press("Control+A")
    page.keyboard.type("32")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"to-day=32"))
    assert "To date must be a real date" in page.locator("#to-error").inner_text()
    assert page.locator("#to-day").input_value() == "32" and page.locator("#to-day").get_attribute("aria-invalid")
    assert_accessible(page)
