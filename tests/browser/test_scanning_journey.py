"""Receipt by barcode scanner never loses a scan: three forms in a row, the middle one wrong. After every
message the reference field is empty and has focus, and the message is said aloud by a live region."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from service.extensions import db
from service.models import Return, Role
from tests.browser.keyboard import focused
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_request, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def references(app):
    with app.app_context():
        consultation = make_consultation("browser-scans", title="Digital Strategy (demonstration)")
        make_staff(Role.DATA_ENTRY, username="sally", display_name="Sally Scanner")
        return [
            make_request(consultation, name=name, address_line_1=f"{n} Hope Street").packs[0].reference
            for n, name in enumerate(("Ann First", "Ben Third"), start=1)
        ]


def scan(page, text: str) -> None:
    """A USB scanner types into whatever has focus, then presses Enter: nothing is clicked first."""
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def announced(page) -> str:
    """What the live region says, once the page has filled it."""
    announcer = page.locator("#scan-announcer")
    expect(announcer).to_have_text(re.compile(r"\S"))
    return announcer.text_content()


def test_three_scans_with_a_wrong_one_in_the_middle(page, live_server, app, references):
    first, third = references
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", "sally")
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")
    page.goto(f"{live_server}/returns/receive")
    assert focused(page)["id"] == "reference"

    scan(page, f"{first}-01")
    page.wait_for_url(re.compile(r"received=\d+"))
    assert "Received" in announced(page)
    assert focused(page)["id"] == "reference" and page.locator("#reference").input_value() == ""

    wrong = first[:4] + str((int(first[4]) + 1) % 10) + first[5:]
    scan(page, f"{wrong}-02")
    page.locator("#reference-error").wait_for()
    said = announced(page)
    assert "not right: check each digit" in said and wrong in said  # what was scanned is said, not lost
    assert focused(page)["id"] == "reference"  # focus stays for the next scan
    assert page.locator("#reference").input_value() == ""  # emptied: the next digits are not appended
    assert_accessible(page)

    scan(page, f"{third}-01")
    page.wait_for_url(re.compile(r"received=\d+"))
    grouped = f"{third[:3]} {third[3:6]} {third[6:]}"
    assert grouped in page.locator("#just-received").inner_text()
    assert grouped in announced(page)
    assert focused(page)["id"] == "reference"
    with app.app_context():
        received = {ret.pack.reference for ret in db.session.scalars(db.select(Return))}
    assert received == {first, third}
