"""A call handler corrects a request and then cancels a copy and the request, by keyboard, in a real browser.
Each screen is checked against WCAG 2.2 AA rules with axe-core."""

from __future__ import annotations

import re

import pytest

from service.extensions import db
from service.models import PaperRequest, RequestStatus, Role
from tests.browser.keyboard import tab_to
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_request, make_staff
from workers.jobs import render_request_packs

pytestmark = pytest.mark.browser


@pytest.fixture
def ready(app):
    with app.app_context():
        consultation = make_consultation("browser-corrections", title="Digital Strategy (demonstration)")
        make_staff(Role.CALL_HANDLER, username="colin", display_name="Colin Corrector")
        request = make_request(consultation, name="Ada Lovelace", copies=2)
        render_request_packs(request.id)
        return request.id, [pack.reference for pack in db.session.get(PaperRequest, request.id).packs]


def status_of(app, request_id: int) -> PaperRequest:
    with app.app_context():
        request = db.session.get(PaperRequest, request_id)
        return request.status, request.caller.name, [p.cancelled_at is not None for p in request.packs]


def test_correct_then_cancel_a_copy_then_the_request(page, live_server, app, ready):
    request_id, references = ready
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", "colin")
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")
    page.goto(f"{live_server}/requests/{request_id}")

    # Correct the name: the form holds what is saved; a line the envelope cannot take is refused beside it.
    tab_to(page, text="Correct this request")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/requests/{request_id}/correct")
    assert page.locator("#name").input_value() == "Ada Lovelace"
    assert_accessible(page)
    page.locator("h1").click()
    tab_to(page, id="address_line_1")
    page.keyboard.press("Control+A")
    page.keyboard.type("(Flat 2) 12 Hope Street")
    page.keyboard.press("Enter")
    page.locator("#address_line_1-error").wait_for()
    assert "cannot start with" in page.locator("#address_line_1-error").inner_text()
    assert page.locator("#address_line_1").input_value() == "(Flat 2) 12 Hope Street"
    assert_accessible(page)
    page.locator("#address_line_1").fill("Flat 2, 12 Hope Street")
    page.locator("#name").fill("Ada King")
    page.locator("#reason").fill("Caller rang back with her married name")
    page.locator("#reason").press("Enter")
    page.wait_for_url(f"{live_server}/requests/{request_id}")
    assert "Request corrected (name, address)" in page.content()
    history = page.locator("#history").inner_text()
    assert "Corrected: name, address. Caller rang back with her married name" in history
    assert "Colin Corrector" in history
    for reference in references:  # the references read to the caller stay
        assert f"{reference[:3]} {reference[3:6]} {reference[6:]}" in page.locator("#packs").inner_text()
    status, name, _ = status_of(app, request_id)
    assert (status, name) == (RequestStatus.WAITING_FOR_PACK, "Ada King")
    assert_accessible(page)

    # Cancel one copy, with a reason; then the request.
    tab_to(page, text="Cancel the request or a copy")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/requests/{request_id}/cancel")
    assert_accessible(page)
    page.get_by_label(re.compile(r"Copy 2 only")).check()
    page.locator("#reason").fill("Only needs one copy")
    page.locator("#reason").press("Enter")
    page.wait_for_url(f"{live_server}/requests/{request_id}")
    assert "Copy 2 cancelled" in page.content()
    assert "Cancelled: Only needs one copy" in page.locator("#packs").inner_text()
    assert status_of(app, request_id)[2] == [False, True]

    tab_to(page, text="Cancel this request")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/requests/{request_id}/cancel")
    page.get_by_label("The whole request").check()
    page.locator("#reason").press("Enter")  # no reason: refused beside the field
    page.locator("#reason-error").wait_for()
    page.locator("#reason").fill("No longer wanted")
    page.locator("#reason").press("Enter")
    page.wait_for_url(f"{live_server}/requests/{request_id}")
    assert "Request cancelled" in page.content()
    assert "Cancelled: No longer wanted" in page.locator("#history").inner_text()
    assert status_of(app, request_id)[0] == RequestStatus.CANCELLED
    assert page.get_by_text("Correct this request").count() == 0
    assert_accessible(page)
