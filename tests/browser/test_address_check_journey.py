"""A call handler, keyboard only, checks an address the phone menu recorded; each screen checked with axe-core."""

from __future__ import annotations

import pytest

from service.extensions import db
from service.models import Role
from tests.browser.keyboard import tab_to
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_request, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def waiting(app):
    with app.app_context():
        consultation = make_consultation("browser-check", title="Digital Strategy (demonstration)")
        make_staff(Role.CALL_HANDLER, username="hana", display_name="Hana Handler")
        request = make_request(
            consultation, name="Grace Hopper", address_line_1="", town="", postcode="", address_confirmed=False
        )
        request.caller.recording_url = "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE0"
        request.notes = "Phone menu: the caller recorded their address as a message."
        db.session.commit()
        return request.id


def test_handler_checks_a_recorded_address_by_keyboard(page, live_server, waiting):
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", "hana")
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")

    tab_to(page, text="Requests")  # the menu's Requests area lists its screens, address checks among them
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/requests")
    tab_to(page, text="Address checks")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/address-checks")
    assert "Grace Hopper" in page.locator("#address-checks").inner_text()
    assert_accessible(page)

    tab_to(page, id=f"check-{waiting}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/address-checks/{waiting}")
    assert page.get_by_role("link", name="Listen to the caller's recording (opens in a new tab)").is_visible()
    assert_accessible(page)

    type_into(page, "address_line_1", "7 Rodney Street")
    type_into(page, "town", "Liverpool")
    type_into(page, "postcode", "L1")
    page.keyboard.press("Enter")
    page.locator(".error-summary").wait_for()
    assert "Enter a real UK postcode" in page.locator(".error-summary").inner_text()
    assert_accessible(page)

    tab_to(page, id="postcode")
    page.keyboard.press("Control+A")
    page.keyboard.type("l19ed")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/address-checks")
    assert "is now: Waiting for pack" in page.locator(".notification").inner_text()
    assert_accessible(page)
