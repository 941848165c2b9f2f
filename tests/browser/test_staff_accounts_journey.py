"""A supervisor unlocks a locked account and signs someone out everywhere, in a real browser, by keyboard."""

from __future__ import annotations

import re

import pytest

from service.models import Role
from tests.browser.keyboard import tab_to
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_staff

pytestmark = pytest.mark.browser


def sign_in(page, live_server: str, username: str, password: str) -> None:
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", username)
    type_into(page, "password", password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_supervisor_unlocks_an_account_and_signs_it_out_everywhere(app, browser, page, live_server):
    with app.app_context():
        make_staff(Role.SUPERVISOR, username="sam", display_name="Sam Supervisor")
        hana_id = make_staff(Role.CALL_HANDLER, username="hana", display_name="Hana Handler").id
    # Hana, elsewhere in a browser of her own, is signed in; someone here locks her account at this computer.
    hana = browser.new_context(locale="en-GB").new_page()
    sign_in(hana, live_server, "hana", DEFAULT_PASSWORD)
    assert hana.url == f"{live_server}/home"
    for _ in range(app.config["SIGN_IN_LOCK_AFTER"]):
        sign_in(page, live_server, "hana", "wrong-guess-here")
    sign_in(page, live_server, "hana", DEFAULT_PASSWORD)
    assert "The username or password is not right" in page.locator(".error-summary").inner_text()

    sign_in(page, live_server, "sam", DEFAULT_PASSWORD)
    page.wait_for_url(f"{live_server}/home")
    tab_to(page, text="Personal data")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/personal-data"))
    tab_to(page, text="Staff accounts")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/staff")
    row = page.locator("tr", has_text="Hana Handler")
    assert "Locked" in row.inner_text() and "at 1 address" in row.inner_text()
    assert_accessible(page)

    tab_to(page, id=f"unlock-{hana_id}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/\d+/unlock$"))
    assert page.locator("h1").inner_text() == "Unlock Hana Handler's account?"
    assert_accessible(page)
    tab_to(page, text="Unlock the account")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/staff")
    assert "Hana Handler's account is unlocked." in page.locator("main").inner_text()
    assert "Locked" not in page.locator("tr", has_text="Hana Handler").inner_text()

    tab_to(page, id=f"sign-out-everywhere-{hana_id}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staff/\d+/sign-out-everywhere$"))
    assert page.locator("h1").inner_text() == "Sign Hana Handler out everywhere?"
    assert_accessible(page)
    tab_to(page, text="Sign out everywhere")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/staff")
    assert "Hana Handler has been signed out everywhere." in page.locator("main").inner_text()

    # Hana's browser finds itself signed out, says why, and she signs in again (her lock is gone too).
    hana.goto(f"{live_server}/requests")
    assert hana.url.startswith(f"{live_server}/sign-in")
    assert "You have been signed out" in hana.locator("main").inner_text()
    sign_in(hana, live_server, "hana", DEFAULT_PASSWORD)
    assert hana.url == f"{live_server}/home"
    hana.context.close()
