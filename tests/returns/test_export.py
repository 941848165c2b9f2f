"""The responses export: verified returns only, adjudicated values, codes and labels, no personal data."""

from __future__ import annotations

import csv
import io
import json

import pytest

from service.dao.returns import receive_return
from service.models import Role
from tests.conftest import csrf_token
from tests.factories import day
from tests.returns.conftest import answers, key, receive, received_id


@pytest.fixture
def verified_returns(sign_in, consultation, reference):
    """Return 1: disputed, then settled by a supervisor. Return 2: unreferenced, agreed. Return 3: keyed once."""
    kofi, _ = sign_in(Role.DATA_ENTRY, "kofi")
    kim, _ = sign_in(Role.DATA_ENTRY, "kim")
    supervisor, _ = sign_in(Role.SUPERVISOR)
    settled = received_id(receive(kofi, reference, received_on=day(-1).isoformat()))
    key(kofi, settled, answers(q7_anything_else="=SUM(A1) fix the buses"))
    key(kim, settled, answers(q1a_infrastructure_priority="4", q7_anything_else="=SUM(A1) fix the buses"))
    path = f"/returns/{settled}/adjudicate"
    decision = {"choice-q1a_infrastructure_priority": "entry_2", "confirmed": "yes"}  # as from the check page
    supervisor.post(path, data=decision | {"csrf_token": csrf_token(supervisor, path)})
    unreferenced = receive_return(consultation, None, day(0), False, None).id
    key(kofi, unreferenced, answers(q11_how_online="-1"))
    key(kim, unreferenced, answers(q11_how_online="-1"))
    keyed_once = receive_return(consultation, None, day(0), False, None).id
    key(kofi, keyed_once, answers())
    return supervisor, settled, unreferenced


def download(client, consultation, file_format: str):
    response = client.get(f"/returns/export.{file_format}", query_string={"consultation": consultation.id})
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data(as_text=True)


def test_the_csv_has_one_row_per_verified_return_with_adjudicated_values(verified_returns, consultation):
    supervisor, settled, unreferenced = verified_returns
    rows = list(csv.DictReader(io.StringIO(download(supervisor, consultation, "csv"))))
    assert [r["response_id"] for r in rows] == [f"paper-{settled}", f"paper-{unreferenced}"]
    first, second = rows
    assert first["q1a_infrastructure_priority"] == "4"  # the supervisor's choice, not entry 1's "1"
    assert first["q1a_infrastructure_priority_label"] == "Disagree"
    assert first["q11_how_online"] == "1;3"
    assert first["q11_how_online_label"] == "Broadband at home;At a library or community centre"
    assert (
        first["q4a_digitalisation_ai_priority"] == "-1"
        and first["q4a_digitalisation_ai_priority_label"] == "Not answered"
    )
    assert first["q7_anything_else"] == "'=SUM(A1) fix the buses"  # a spreadsheet will not run it
    assert (first["response_mode"], first["date_received"], first["late"]) == ("paper", day(-1).isoformat(), "no")
    assert first["local_authority"] == "Liverpool"
    assert second["local_authority"] == "" and second["q11_how_online_label"] == "Not answered"
    assert "q7_anything_else_label" not in first  # written answers have no label column


def test_the_export_has_no_names_addresses_or_phone_numbers(verified_returns, consultation):
    supervisor, *_ = verified_returns
    for file_format in ("csv", "json"):
        text = download(supervisor, consultation, file_format)
        for personal in ("Siân", "Roberts", "Hope Street", "L1 9BQ", "0151", "+44151", "3301249"):
            assert personal not in text


def test_the_json_matches_the_csv(verified_returns, consultation):
    supervisor, settled, _ = verified_returns
    data = json.loads(download(supervisor, consultation, "json"))
    assert data[0]["response_id"] == f"paper-{settled}" and data[0]["q1a_infrastructure_priority"] == "4"
    assert data[0]["q7_anything_else"] == "=SUM(A1) fix the buses"  # JSON keeps text exactly
    csv_columns = download(supervisor, consultation, "csv").splitlines()[0].split(",")
    assert list(data[0]) == csv_columns
