"""A supervisor's screens in a real browser: reached by keyboard, and checked against WCAG 2.2 AA rules."""

from __future__ import annotations

import re

import pytest

from service.models import Role
from tests.browser.keyboard import tab_to
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_request, make_staff
from workers.jobs import print_run, render_request_packs

pytestmark = pytest.mark.browser


@pytest.fixture
def supervisor_data(app):
    with app.app_context():
        consultation = make_consultation("supervise", title="Supervised consultation")
        for n, postcode in enumerate(("L1 8JQ", "CH41 1AA", "WA8 7QL")):
            render_request_packs(
                make_request(consultation, name=f"Person {n}", postcode=postcode, address_line_1=f"{n} Street").id
            )
        make_staff(Role.SUPERVISOR, username="sam", display_name="Sam Supervisor")
        return print_run()


def test_supervisor_screens_by_keyboard(page, live_server, supervisor_data):
    (batch_id,) = supervisor_data
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", "sam")
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")

    tab_to(page, text="Dashboard")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/dashboard/\d+$"))
    assert page.title() == "Dashboard: Supervised consultation – Survey line"
    assert "3" in page.locator("#requests-by-format").inner_text()
    assert_accessible(page)

    tab_to(page, text="Print batches")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/print-batches")
    assert page.title() == "Print batches – Survey line"
    assert_accessible(page)
    tab_to(page, text=f"Batch {batch_id} (standard print)")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/print-batches/{batch_id}")
    assert page.locator("#batch-progress").is_visible()  # still building: no worker in this test
    assert_accessible(page)

    tab_to(page, text="Queue")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/jobs")
    assert "build print batch" in page.locator("main").inner_text().lower()
    assert_accessible(page)

    tab_to(page, text="Personal data")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/personal-data")
    type_into(page, "postcode", "ch411aa")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/personal-data\?"))
    assert "1 person found" in page.locator("main").inner_text()
    assert_accessible(page)
    tab_to(page, text="Person 1")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/personal-data/callers/\d+$"))
    assert_accessible(page)
