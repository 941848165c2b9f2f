"""Finding requests by name, postcode, reference, status, consultation and date."""

from __future__ import annotations

import re

import pytest

from service.models import PrintFormat, Role
from tests.factories import make_consultation, make_request


@pytest.fixture
def requests_logged(app_ctx):
    digital = make_consultation("digital", title="Digital consultation")
    transport = make_consultation("transport", title="Transport consultation")
    return {
        "ada": make_request(digital, name="Ada Lovelace", address_line_1="1 Bold Street", postcode="L1 4DN"),
        "grace": make_request(
            digital,
            name="Grace Hopper",
            address_line_1="9 Lark Lane",
            postcode="L17 8UU",
            print_format=PrintFormat.EASY_READ,  # made by hand: alternative format due
        ),
        "alan": make_request(transport, name="Alan Turing", address_line_1="3 Marine Road", postcode="CH41 1AA"),
    }


def found(client, query: str) -> list[str]:
    page = client.get(f"/requests?{query}").get_data(as_text=True)
    table = page.split('id="results"', 1)[1] if 'id="results"' in page else ""
    return [name for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing") if name in table]


@pytest.fixture
def handler(staff):
    return staff.sign_in(Role.CALL_HANDLER)


def test_search_by_part_of_a_name_ignoring_case_and_accents(client, requests_logged, handler):
    assert found(client, "q=lovelace") == ["Ada Lovelace"]
    assert found(client, "q=GRACE") == ["Grace Hopper"]


def test_search_by_postcode_however_typed(client, requests_logged, handler):
    assert found(client, "q=l178uu") == ["Grace Hopper"]
    assert found(client, "q=CH41+1AA") == ["Alan Turing"]


def test_search_by_any_copy_reference_grouped_or_not(client, requests_logged, handler):
    reference = requests_logged["alan"].packs[0].reference
    assert found(client, f"q={reference}") == ["Alan Turing"]
    assert found(client, f"q={reference[:3]}+{reference[3:6]}+{reference[6:]}") == ["Alan Turing"]


def test_filter_by_status_and_consultation(client, requests_logged, handler):
    assert found(client, "status=alternative_format_due") == ["Grace Hopper"]
    consultation_id = requests_logged["alan"].consultation_id
    assert found(client, f"consultation={consultation_id}") == ["Alan Turing"]


def test_filter_by_date(client, requests_logged, handler):
    today = requests_logged["ada"].created_at.strftime("%Y-%m-%d")
    assert len(found(client, f"from={today}&to={today}")) == 3
    assert found(client, "to=2020-01-01") == []
    day = requests_logged["ada"].created_at
    boxes = f"from-day={day.day}&from-month={day.month}&from-year={day.year}"
    assert len(found(client, boxes + f"&to-day={day.day}&to-month={day:%b}&to-year={day.year}")) == 3  # "Nov" too
    page = client.get("/requests?from-day=31&from-month=2&from-year=2026").get_data(as_text=True)
    assert "Logged from must be a real date" in page and 'href="#from-day"' in page
    assert re.search(r'id="from-day"[^>]*value="31" aria-invalid="true"', page)  # kept, and marked wrong
    assert re.search(r'id="from-month"[^>]*value="2">', page)
    page = client.get("/requests?to=9999-12-31").get_data(as_text=True)  # no date arithmetic past the year 9999
    assert "Year must be between 2000 and 2099" in page


def test_the_list_shows_the_count_and_links_to_each_request(client, requests_logged, handler):
    page = client.get("/requests").get_data(as_text=True)
    assert "3 requests found" in page
    ids = {int(i) for i in re.findall(r'href="/requests/(\d+)"', page)}
    assert ids == {r.id for r in requests_logged.values()}


def test_percent_and_underscore_typed_in_the_search_match_themselves(client, requests_logged, handler, app):
    with app.app_context():
        make_request(
            requests_logged["ada"].consultation,
            name="Ada 100% Lovelace",
            address_line_1="2 Bold Street",
            postcode="L1 4DN",
        )

    def table(query: str) -> str:
        page = client.get(f"/requests?{query}").get_data(as_text=True)
        return page.split('id="results"', 1)[1] if 'id="results"' in page else ""

    percent = table("q=%25")  # only the name that holds a "%"
    assert "Ada 100% Lovelace" in percent and not found(client, "q=%25")
    assert found(client, "q=_") == [] and "100%" not in table("q=_")
    assert found(client, "q=a_a") == []
    assert found(client, "q=L%25") == [] and table("q=L%25") == ""  # not "every postcode district starting with L"
    assert found(client, "q=L1") == ["Ada Lovelace"]
