"""Returned forms in a real browser, keyboard alone: receive a form by "scanning" it, key it twice blind, and
settle the one disagreement as a supervisor. Each screen is also checked against WCAG 2.2 AA rules."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Return, ReturnStatus, Role
from tests.browser.keyboard import focused, tab_to
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_request, make_staff

pytestmark = pytest.mark.browser

# What is on the paper, in the order a keyer meets it: (field id to reach, keys to type).
PAPER = [
    ("q1a_infrastructure_priority-0", "2"),
    ("q1b_infrastructure_actions", "Fibre for "),
    ("q2a_tech_for_good_priority-0", "-1"),
    ("q3a_createch_priority-0", "3"),
    ("q4a_digitalisation_ai_priority-0", "-2"),
    ("q5a_skills_priority-0", "1"),
    ("q6a_inclusion_priority-0", "6"),
    ("q8_responding_as-0", "1"),
    ("q10_local_authority-0", "3"),
    ("q11_how_online-0", "13"),
]


@pytest.fixture
def setup(app):
    with app.app_context():
        consultation = make_consultation("browser-returns", title="Digital Strategy (demonstration)")
        for username in ("kofi", "kim"):
            make_staff(Role.DATA_ENTRY, username=username, display_name=username.title())
        make_staff(Role.SUPERVISOR, username="sam", display_name="Sam Supervisor")
        return make_request(consultation).packs[0].reference


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", username)
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")


def key_the_paper(page, first_priority: str) -> None:
    """Key the form by keyboard alone: Tab between questions, codes to answer, Ctrl+I for an illegible word."""
    page.locator("h1").click()
    for field_id, keys in PAPER:
        tab_to(page, id=field_id)
        if field_id == "q1a_infrastructure_priority-0":
            keys = first_priority
        page.keyboard.type(keys)
        if field_id == "q1b_infrastructure_actions":
            page.keyboard.press("Control+i")
            page.keyboard.type(" streets")


def test_a_form_is_received_keyed_twice_and_settled_by_keyboard_alone(app, browser, page, live_server, setup):
    reference = setup
    grouped = f"{reference[:3]} {reference[3:6]} {reference[6:]}"

    # Receipt: the scanner types the page barcode and presses Enter into the field that already has focus.
    sign_in(page, live_server, "kofi")
    tab_to(page, text="Receive returned forms")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/returns/receive")
    assert focused(page)["id"] == "reference"
    assert_accessible(page)
    page.keyboard.type(f"{reference}-01")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/returns/receive\?received=\d+"))
    assert grouped in page.locator("#just-received").inner_text()
    assert focused(page)["id"] == "reference"  # ready for the next scan
    assert_accessible(page)

    # First entry.
    tab_to(page, text="Key a return")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/returns/key")
    page.keyboard.type(reference)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/returns/\d+/key$"))
    assert_accessible(page)
    key_the_paper(page, "2")
    assert page.locator("#q1a_infrastructure_priority-1").is_checked()  # "2" chose Agree
    assert page.locator("#q2a_tech_for_good_priority-6").is_checked()  # "-1" chose Not answered
    assert page.locator("#q1b_infrastructure_actions").input_value() == "Fibre for [illegible] streets"
    assert focused(page)["id"] == "q11_how_online-2"  # "1" then "3" ticked both boxes
    page.keyboard.press("Enter")  # Enter saves
    page.wait_for_url(f"{live_server}/returns/key")
    assert "Saved entry 1" in page.locator(".notification--success").inner_text()

    # Second entry, blind, by someone else, who reads question 1a differently.
    second = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    sign_in(second, live_server, "kim")
    second.goto(f"{live_server}/returns/key")
    second.keyboard.type(grouped)
    second.keyboard.press("Enter")
    second.wait_for_url(re.compile(r"/returns/\d+/key$"))
    assert (
        second.locator("input:checked").count() == 0
        and "[illegible]" not in second.locator("#q1b_infrastructure_actions").input_value()
    )
    key_the_paper(second, "3")
    second.keyboard.press("Enter")
    second.wait_for_url(f"{live_server}/returns/key")
    assert "differ on 1 question" in second.locator(".notification--success").inner_text()
    second.context.close()

    # The supervisor settles question 1a by keyboard: entry 2 was right.
    supervisor = browser.new_context(locale="en-GB", timezone_id="Europe/London").new_page()
    sign_in(supervisor, live_server, "sam")
    with app.app_context():
        return_id = db.session.scalar(select(Return.id))
    supervisor.goto(f"{live_server}/returns/{return_id}")
    tab_to(supervisor, text="Settle the disagreements")
    supervisor.keyboard.press("Enter")
    supervisor.wait_for_url(re.compile(r"/adjudicate$"))
    assert supervisor.locator("[data-disagreement]").count() == 1
    assert_accessible(supervisor)
    tab_to(supervisor, id="choice-q1a_infrastructure_priority-entry_1")
    supervisor.keyboard.press("ArrowDown")
    assert supervisor.locator("#choice-q1a_infrastructure_priority-entry_2").is_checked()
    tab_to(supervisor, text="Save decisions and verify")
    supervisor.keyboard.press("Enter")
    # A page of its own says what the answers will be before anything is saved.
    supervisor.get_by_role("heading", name=f"Verify return {return_id} with these answers?").wait_for()
    assert "Question 1a: Neither agree nor disagree (entry 2)" in supervisor.locator("main").inner_text()
    assert_accessible(supervisor)
    tab_to(supervisor, text=f"Verify return {return_id}")
    supervisor.keyboard.press("Enter")
    supervisor.wait_for_url(re.compile(rf"/returns/{return_id}$"))
    assert "Verified" in supervisor.locator("#return-status").inner_text()
    answer = supervisor.locator('[data-question="q1a_infrastructure_priority"] [data-ticked]').inner_text()
    assert "Neither agree nor disagree" in answer
    assert_accessible(supervisor)
    supervisor.context.close()
    with app.app_context():
        assert db.session.scalar(select(Return.status)) == ReturnStatus.VERIFIED
