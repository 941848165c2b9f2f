"""The hostile values that once answered 500, each with the answer a person should get instead."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.models import Call, PaperRequest, Role
from tests.conftest import csrf_token
from tests.factories import make_consultation
from tests.requests.test_log_request import answers


@pytest.fixture
def consultation(app_ctx):
    return make_consultation("hostile")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/requests/2147483648", 404),
        ("/requests/9223372036854775808", 404),
        ("/requests/%C2%B2", 404),  # "²": a digit to Python, no id to anyone
        ("/print-batches/9223372036854775808", 404),
        ("/print-batches/99999999999999999999999/progress", 404),
        ("/personal-data/callers/2147483648", 404),
        ("/requests?page=9223372036854775808", 200),
        ("/requests?page=-5", 200),
        ("/requests?consultation=9223372036854775808", 200),
        ("/calls?page=2147483648", 200),
        ("/audit?id=9223372036854775808", 200),
        ("/dashboard?consultation=9223372036854775808", 302),  # to the consultation shown by default
        ("/returns?page=%E2%91%A0", 200),
    ],
)
def test_ids_and_pages_out_of_range_are_not_found_or_ignored(client, staff, consultation, path, status):
    staff.sign_in(Role.SUPERVISOR)
    assert client.get(path).status_code == status


def test_a_date_filter_out_of_range_is_a_message_beside_the_filter(client, staff, consultation):
    staff.sign_in(Role.CALL_HANDLER)
    page = client.get("/requests?to=9999-12-31&from=0001-01-01")
    # The filter's dates are read by service/dates.py: out-of-range values are refused there, never a 500.
    assert page.status_code == 200 and "<h1" in page.get_data(as_text=True)


def test_a_nul_byte_in_a_search_is_refused_with_a_plain_message(client, staff, consultation):
    staff.sign_in(Role.CALL_HANDLER)
    page = client.get("/requests?q=Ann%00e")
    assert page.status_code == 400
    assert "cannot contain control characters (such as NUL)" in page.get_data(as_text=True)


@pytest.mark.parametrize("field", ["name", "address_line_1", "town", "notes", "language"])
def test_a_nul_byte_in_a_text_field_is_refused_beside_it_and_what_was_typed_is_kept(client, staff, consultation, field):
    staff.sign_in(Role.CALL_HANDLER)
    data = dict(answers(consultation, format="other_language", language="Welsh"), **{field: "Ann\x00e"})
    page = client.post("/requests/new", data=dict(data, csrf_token=csrf_token(client, "/requests/new")))
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "cannot contain control characters (such as NUL)" in body
    assert "12 Hope Street" in body or field == "address_line_1"  # the other answers are still there
    assert db.session.scalar(select(func.count(PaperRequest.id))) == 0


@pytest.mark.parametrize("copies", ["²", "①", "١", "１", "9223372036854775808", "-1", "0", "1.0"])
def test_copies_takes_ascii_digits_only(client, staff, consultation, copies):
    staff.sign_in(Role.CALL_HANDLER)
    data = answers(consultation, copies=copies)
    page = client.post("/requests/new", data=dict(data, csrf_token=csrf_token(client, "/requests/new")))
    assert page.status_code == 200
    assert "Number of copies must be a whole number from 1 to 5" in page.get_data(as_text=True)


@pytest.mark.parametrize("call_id", ["424242", "9223372036854775808", "²", "x"])
def test_a_call_id_that_names_no_call_logs_the_request_with_a_new_call(client, staff, consultation, call_id):
    staff.sign_in(Role.CALL_HANDLER)
    data = answers(consultation, call_id=call_id)
    response = client.post("/requests/new", data=dict(data, csrf_token=csrf_token(client, "/requests/new")))
    assert response.status_code == 302
    request = db.session.scalars(select(PaperRequest)).one()
    assert request.call_id == db.session.scalars(select(Call.id)).one()


def test_blank_packs_and_sign_in_with_odd_values_get_messages(client, staff, consultation):
    assert client.post(
        "/sign-in", data={"username": "a\x00", "password": "\x00", "csrf_token": csrf_token(client, "/sign-in")}
    ).status_code in (200, 400)
    staff.sign_in(Role.SUPERVISOR)
    page = client.post(
        "/print-batches/blank-packs",
        data={
            "consultation_id": "9223372036854775808",
            "count": "²",
            "format": "\x00",
            "csrf_token": csrf_token(client, "/print-batches"),
        },
    )
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Select the consultation the packs are for" in body and "Enter how many packs, from 1 to 500" in body
