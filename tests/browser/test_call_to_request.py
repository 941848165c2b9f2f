"""From the call log to the request form without a wasted key press: the format the caller asked for is
chosen, the name they gave is carried, and focus waits where the handler types next."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import PaperRequest, PrintFormat, Role
from tests.browser.keyboard import focused, tab_to
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def handler(app):
    with app.app_context():
        make_consultation("call-to-request", title="Digital Strategy (demonstration)")
        make_staff(Role.CALL_HANDLER, username="hana", display_name="Hana Handler")


def test_other_format_on_the_call_log_opens_the_request_form_with_that_format(app, page, live_server, handler):
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", "hana")
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")

    page.goto(f"{live_server}/calls/new")
    type_into(page, "caller_name", "Margaret Ellis")
    tab_to(page, id="outcome-0")  # "Paper copy requested"; the arrow moves to "Other format requested"
    page.keyboard.press("ArrowDown")
    assert page.locator("#outcome-1").is_checked() and page.locator("#requested_format").is_visible()
    tab_to(page, id="requested_format-0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # large print, easy read, braille
    assert page.locator("#requested_format-2").is_checked()
    assert_accessible(page)
    page.locator("#requested_format-2").press("Enter")
    page.wait_for_url(re.compile(r"/requests/new\?call=\d+&format=braille"))

    # Braille is chosen, the name is carried, and focus is on the first thing still to type: the address.
    assert page.locator("#format-3").is_checked()
    assert page.locator("#name").input_value() == "Margaret Ellis"
    assert focused(page)["id"] == "address_line_1"
    assert_accessible(page)
    page.keyboard.type("27 Victoria Road")
    type_into(page, "town", "Widnes")
    type_into(page, "postcode", "wa87ql")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/\d+\?saved=1"))
    with app.app_context():
        saved = db.session.scalar(select(PaperRequest))
        assert saved.format == PrintFormat.BRAILLE and saved.call_id is not None
