"""A call handler, keyboard only, in a real browser: sign in, log a request, meet the duplicate warning,
find the request in the list. Each screen is also checked against WCAG 2.2 AA rules with axe-core."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from service.models import Role
from tests.browser.keyboard import focus_order, focused, tab_to
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_staff

pytestmark = pytest.mark.browser
WCAG_22_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
FORM_ORDER = [
    "consultation_id",
    "name",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "town",
    "postcode",
    "phone",
    "format-0",
    "delivery-0",  # braille and audio: by post (checked), or by email or text
    "copies",
    "notes",
]


def assert_accessible(page) -> None:
    # Audit the page as a person sees it: a check run as soon as an element appeared after a submit could
    # meet the page before its stylesheet applied (unstyled links are 17 px tall: a target-size failure).
    page.wait_for_load_state("load")
    results = Axe().run(page, options=WCAG_22_AA)
    assert results.violations_count == 0, results.generate_report()


def type_into(page, field_id: str, text: str) -> None:
    tab_to(page, id=field_id)
    page.keyboard.type(text)


def fill_request(page) -> None:
    """Fill the form in the order a handler asks on the phone, by keyboard alone."""
    page.locator("h1").click()  # start from the top of the page, as after navigating
    tab_to(page, id="name")
    page.keyboard.type("Siân Roberts")
    for field_id, text in (
        ("address_line_1", "12 Hope Street"),
        ("town", "Liverpool"),
        ("postcode", "l19bq"),
        ("phone", "0151 330 1249"),
    ):
        type_into(page, field_id, text)
    tab_to(page, id="format-0")  # the radio group is one tab stop; arrows choose within it
    page.keyboard.press("ArrowDown")
    assert focused(page)["id"] == "format-1"
    assert page.locator("#format-1").is_checked()  # large print
    tab_to(page, id="copies")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")


@pytest.fixture
def setup(app):
    with app.app_context():
        consultation = make_consultation("browser", title="Digital Strategy (demonstration)")
        make_staff(Role.CALL_HANDLER, username="hana", display_name="Hana Handler")
        return consultation.id


def test_handler_logs_a_request_by_keyboard_meets_the_duplicate_and_finds_it(page, live_server, setup):
    page.goto(f"{live_server}/sign-in")
    assert_accessible(page)
    type_into(page, "username", "hana")
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")
    assert_accessible(page)

    tab_to(page, text="Log a paper-copy request")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/requests/new")
    # Work starts at once: the only open consultation is chosen and the caller's name has focus.
    assert page.locator("#consultation_id").input_value() == str(setup)
    assert focused(page)["id"] == "name"
    # Tab follows the order of the phone conversation.
    page.locator("h1").click()
    tab_to(page, id="consultation_id")
    assert ["consultation_id", *focus_order(page, "notes")] == FORM_ORDER
    assert_accessible(page)

    fill_request(page)
    page.keyboard.press("Enter")  # Enter in a text field saves the form
    page.wait_for_url(re.compile(r"/requests/\d+\?saved=1"))
    assert page.get_by_role("heading", name="Request saved").is_visible()
    references = page.locator("[data-reference]").all_inner_texts()
    assert len(references) == 2 and all(re.fullmatch(r"\d{3} \d{3} \d{4}", r) for r in references)
    assert_accessible(page)

    # The caller rings again: the same details bring the duplicate warning, and nothing is saved.
    tab_to(page, text="Log another request")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/requests/new")
    fill_request(page)
    page.keyboard.press("Enter")
    warning = page.get_by_role("region", name="This caller may already have asked")
    warning.wait_for()
    assert references[0] in warning.inner_text()
    assert focused(page)["id"] == ""  # focus moved to the error summary, which names what to do
    assert "Enter why another copy is needed" in page.locator(".error-summary").inner_text()
    assert page.locator("#address_line_1").input_value() == "12 Hope Street"  # nothing typed was lost
    assert_accessible(page)

    # Find the request in the list by its reference, and open it.
    tab_to(page, text="Requests")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/requests")
    type_into(page, "q", references[0])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests\?q="))
    assert page.locator("#result-count").inner_text() == "1 request found"
    assert "Siân Roberts" in page.locator("#results").inner_text()
    assert_accessible(page)
    tab_to(page, text=references[0])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/\d+$"))
    history = page.locator("#history").inner_text()
    assert "Waiting for pack" in history and "Hana Handler" in history
    assert_accessible(page)
