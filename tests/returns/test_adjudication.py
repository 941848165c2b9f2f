"""Adjudication: a supervisor who keyed neither entry settles each disagreement; the choice is recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Adjudication, AuditEvent, Return, ReturnStatus, Role
from tests.conftest import csrf_token
from tests.returns.conftest import answers, key, receive, received_id


@pytest.fixture
def disputed(sign_in, reference) -> int:
    """A return whose two entries differ on questions 1a, 7 and 11."""
    kofi, _ = sign_in(Role.DATA_ENTRY, "kofi")
    kim, _ = sign_in(Role.DATA_ENTRY, "kim")
    return_id = received_id(receive(kofi, reference))
    key(kofi, return_id, answers(q7_anything_else="More libraries"))
    key(
        kim, return_id, answers(q1a_infrastructure_priority="2", q7_anything_else="More librarians", q11_how_online="3")
    )
    assert db.session.get(Return, return_id).status == ReturnStatus.IN_DISPUTE
    return return_id


def decide(client, return_id: int, **choices: str):
    path = f"/returns/{return_id}/adjudicate"
    return client.post(path, data=dict(choices, csrf_token=csrf_token(client, path)))


def test_a_supervisor_sees_each_disagreement_with_both_values(sign_in, disputed):
    supervisor, _ = sign_in(Role.SUPERVISOR)
    page = supervisor.get(f"/returns/{disputed}/adjudicate").get_data(as_text=True)
    assert 'data-disagreement="q1a_infrastructure_priority"' in page
    assert 'data-disagreement="q7_anything_else"' in page and 'data-disagreement="q11_how_online"' in page
    assert page.count("data-disagreement=") == 3  # agreed answers are not asked about again
    assert "Strongly agree" in page and "Agree" in page and "More libraries" in page and "More librarians" in page


def test_a_supervisor_picks_or_types_each_answer_and_the_return_is_verified(sign_in, disputed):
    supervisor, supervisor_id = sign_in(Role.SUPERVISOR)
    choices = {
        "choice-q1a_infrastructure_priority": "entry_2",
        "choice-q7_anything_else": "typed",
        "typed-q7_anything_else": "More libraries, open later",
        "choice-q11_how_online": "entry_1",
    }
    # First a page of its own that says what the answers will be; nothing is saved yet.
    check = decide(supervisor, disputed, **choices).get_data(as_text=True)
    assert f"Verify return {disputed} with these answers?" in check and "This cannot be undone." in check
    assert "Question 1a: Agree (entry 2)" in check and "Question 7: More libraries, open later (typed by you)" in check
    assert db.session.get(Return, disputed).status == ReturnStatus.IN_DISPUTE
    # Changing one's mind goes back with every choice kept.
    back = decide(supervisor, disputed, **choices, confirmed="yes", change="yes").get_data(as_text=True)
    assert 'data-disagreement="q1a_infrastructure_priority"' in back and "More libraries, open later" in back
    assert db.session.get(Return, disputed).status == ReturnStatus.IN_DISPUTE
    response = decide(supervisor, disputed, **choices, confirmed="yes")
    assert response.status_code == 302
    page = supervisor.get(response.headers["Location"]).get_data(as_text=True)
    assert "is verified with your decisions" in page
    ret = db.session.get(Return, disputed)
    assert ret.status == ReturnStatus.VERIFIED
    assert ret.final_answers["q1a_infrastructure_priority"] == "2"
    assert ret.final_answers["q7_anything_else"] == "More libraries, open later"
    assert ret.final_answers["q11_how_online"] == "1;3"
    assert ret.final_answers["q10_local_authority"] == "3"  # agreed, taken as keyed
    recorded = db.session.scalars(select(Adjudication).order_by(Adjudication.question_code)).all()
    assert [(a.question_code, a.chosen_from, a.supervisor_id) for a in recorded] == [
        ("q11_how_online", "entry_1", supervisor_id),
        ("q1a_infrastructure_priority", "entry_2", supervisor_id),
        ("q7_anything_else", "typed", supervisor_id),
    ]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "return.adjudicated"))
    assert event.actor_id == supervisor_id and event.details["decisions"]["q7_anything_else"] == "typed"


def test_every_disagreement_needs_a_decision_and_a_typed_code_must_be_real(sign_in, disputed):
    supervisor, _ = sign_in(Role.SUPERVISOR)
    page = decide(
        supervisor,
        disputed,
        **{"choice-q1a_infrastructure_priority": "typed", "typed-q1a_infrastructure_priority": "7"},
    ).get_data(as_text=True)
    assert "Question 1a: 7 is not one of its codes" in page
    assert "Question 7: choose entry 1, entry 2, or type the correct answer" in page
    assert db.session.get(Return, disputed).status == ReturnStatus.IN_DISPUTE
    assert db.session.scalars(select(Adjudication)).all() == []


def test_a_supervisor_who_keyed_an_entry_cannot_settle_it(sign_in, reference):
    kofi, _ = sign_in(Role.DATA_ENTRY)
    supervisor, _ = sign_in(Role.SUPERVISOR)
    return_id = received_id(receive(kofi, reference))
    key(kofi, return_id, answers())
    key(supervisor, return_id, answers(q8_responding_as="2"))
    response = supervisor.get(f"/returns/{return_id}/adjudicate")
    assert response.status_code == 403 and "a supervisor who keyed neither must decide" in response.get_data(
        as_text=True
    )


def test_data_entry_staff_cannot_adjudicate(sign_in, disputed):
    keyer, _ = sign_in(Role.DATA_ENTRY)
    assert keyer.get(f"/returns/{disputed}/adjudicate").status_code == 403
