"""Helpers for returned-form tests: signed-in clients for several people, packs, receipts and keyings."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from service.models import Role
from service.questionnaires.definition import load_questionnaire
from tests.conftest import IsolatedClient, Staff, csrf_token
from tests.factories import day, make_consultation, make_request

QUESTIONNAIRE = "lcr-digital-strategy-2021/questionnaire.yaml"


@pytest.fixture
def questionnaire():
    return load_questionnaire(QUESTIONNAIRE)


@pytest.fixture
def sign_in(app) -> Callable[..., tuple[FlaskClient, int]]:
    """Sign someone in on their own client (their own browser): returns (client, user id)."""

    def _sign_in(role: Role, username: str | None = None) -> tuple[FlaskClient, int]:
        app.test_client_class = IsolatedClient
        own_client = app.test_client()
        return own_client, Staff(app, own_client).sign_in(role, username=username)

    return _sign_in


@pytest.fixture
def consultation(app_ctx):
    return make_consultation("returns-open", title="Digital Strategy")


@pytest.fixture
def reference(consultation) -> str:
    """The reference of one posted pack, requested by a caller in Liverpool."""
    return make_request(consultation, name="Siân Roberts", phone="0151 330 1249").packs[0].reference


def answers(**changes: str) -> dict[str, str]:
    """A complete, valid set of keyed answers (as the keying form posts them), with `changes`."""
    data = {
        "q1a_infrastructure_priority": "1",
        "q1b_infrastructure_actions": "Fibre to every street",
        "q2a_tech_for_good_priority": "2",
        "q2b_tech_for_good_actions": "",
        "q3a_createch_priority": "3",
        "q3b_createch_actions": "",
        "q4a_digitalisation_ai_priority": "-1",
        "q4b_digitalisation_ai_actions": "",
        "q5a_skills_priority": "2",
        "q5b_skills_actions": "Free courses at the library",
        "q6a_inclusion_priority": "1",
        "q6b_inclusion_actions": "",
        "q7_anything_else": "",
        "q8_responding_as": "1",
        "q9_organisation_name": "",
        "q10_local_authority": "3",
        "q11_how_online": "1;3",
    }
    data.update(changes)
    return data


def receive(client: FlaskClient, text: str, **fields: str):
    """Scan (or type) a reference on the receipt screen."""
    data = {"reference": text, "received_on": fields.pop("received_on", day(0).isoformat()), **fields}
    data["csrf_token"] = csrf_token(client, "/returns/receive")
    return client.post("/returns/receive", data=data)


def received_id(response) -> int:
    """The return id the receipt screen redirected with."""
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"received=(\d+)", response.headers["Location"])[1])


def key(client: FlaskClient, return_id: int, keyed: dict[str, str]):
    """Open the keying form for a return and save `keyed` (multiple choices as "1;3")."""
    page = client.get(f"/returns/{return_id}/key")
    if page.status_code != 200:
        return page
    html = page.get_data(as_text=True)
    form: dict[str, object] = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html)[1],
        "started": re.search(r'name="started" value="([^"]*)"', html)[1],
    }
    for code, value in keyed.items():
        form[code] = value.split(";") if code == "q11_how_online" and value else value
    return client.post(f"/returns/{return_id}/key", data=form)
