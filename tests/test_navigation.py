"""The menus: a short primary menu per role, the current area's pages under it, the current page marked."""

from __future__ import annotations

import re

import pytest

from service.models import Role


def menu(html: str, label: str) -> list[tuple[str, str | None]]:
    """(link text, aria-current) of each link in the navigation labelled `label`."""
    block = re.search(rf'<nav class="[^"]*" aria-label="{label}">(.*?)</nav>', html, re.S)
    assert block, f"no navigation labelled {label!r}"
    links = re.findall(r'<a class="[^"]*"[^>]*?(?: aria-current="([^"]+)")?>([^<]+)</a>', block.group(1))
    return [(text, current or None) for current, text in links]


@pytest.mark.parametrize(
    ("role", "primary"),
    [
        (Role.CALL_HANDLER, ["Log a request", "Log a call", "Requests", "Calls"]),
        (Role.DATA_ENTRY, ["Receive returns", "Key a return", "Returns"]),
        (Role.SUPERVISOR, ["Dashboard", "Requests", "Calls", "Returns", "Print batches", "Personal data"]),
    ],
)
def test_each_role_has_a_short_menu_of_its_own_work(client, staff, role, primary):
    staff.sign_in(role)
    assert [text for text, _ in menu(client.get("/home").get_data(as_text=True), "Menu")] == primary


def test_a_handler_logging_a_request_sees_it_marked_and_no_sub_navigation(client, staff):
    staff.sign_in(Role.CALL_HANDLER)
    html = client.get("/requests/new").get_data(as_text=True)
    assert ("Log a request", "page") in menu(html, "Menu")
    assert 'class="sub-nav' not in html


def test_the_current_area_lists_its_pages_with_the_current_one_marked(client, staff):
    staff.sign_in(Role.SUPERVISOR)
    html = client.get("/jobs").get_data(as_text=True)
    assert ("Print batches", "true") in menu(html, "Menu")  # the area, not the page itself
    assert menu(html, "Print batches") == [("Print batches", None), ("Queue", "page")]
    audit = client.get("/audit").get_data(as_text=True)
    assert menu(audit, "Personal data") == [("Find a person", None), ("Audit trail", "page"), ("Staff accounts", None)]


def test_a_keyer_sees_only_the_returns_pages_of_their_role(client, staff):
    staff.sign_in(Role.DATA_ENTRY)
    pages = [text for text, _ in menu(client.get("/returns/progress").get_data(as_text=True), "Returns")]
    assert pages == ["Returns", "Receive", "Key a return", "Phone answers to check", "Progress"]  # no export, no mode
