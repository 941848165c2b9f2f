"""Keying: the data-entry form comes from the questionnaire definition; two people key each return, blind."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent, Keying, Return, ReturnStatus, Role
from tests.returns.conftest import answers, key, receive, received_id


@pytest.fixture
def keyers(sign_in):
    return sign_in(Role.DATA_ENTRY, "kofi"), sign_in(Role.DATA_ENTRY, "kim")


@pytest.fixture
def return_id(keyers, reference) -> int:
    (kofi, _), _ = keyers
    return received_id(receive(kofi, reference))


def keyings(return_id: int) -> list[Keying]:
    return list(db.session.scalars(select(Keying).where(Keying.return_id == return_id).order_by(Keying.id)))


def test_the_form_follows_the_paper_order_numbers_and_codes(keyers, return_id, questionnaire):
    (kofi, _), _ = keyers
    page = kofi.get(f"/returns/{return_id}/key").get_data(as_text=True)
    numbers = re.findall(
        r'<legend class="fieldset__legend keying-question__legend">(\w+)\. |<label class="label keying-question__legend" for="\w+">(\w+)\. ',
        page,
    )
    assert ["".join(n) for n in numbers] == [q.number for q in questionnaire.questions]
    scale = re.findall(r'name="q1a_infrastructure_priority" type="radio" value="(-?\d+)"', page)
    assert scale == ["1", "2", "3", "4", "5", "6", "-1", "-2"]  # Strongly agree ... Don't know, then the missing codes
    assert re.findall(r'name="q11_how_online" type="checkbox" value="(-?\d+)"', page) == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "-1",
    ]
    assert "Not answered" in page and "More than one box ticked" in page and "[illegible]" in page


def test_two_keyers_who_agree_verify_the_return(keyers, return_id):
    (kofi, kofi_id), (kim, kim_id) = keyers
    first = key(kofi, return_id, answers())
    assert first.status_code == 302
    assert "Saved entry 1" in kofi.get(first.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Return, return_id).status == ReturnStatus.KEYED_ONCE
    # Spacing in written answers is not a disagreement; the second entry is its own row.
    second = key(kim, return_id, answers(q1b_infrastructure_actions="Fibre  to every street "))
    assert "Both entries agree: it is verified" in kim.get(second.headers["Location"]).get_data(as_text=True)
    ret = db.session.get(Return, return_id)
    assert ret.status == ReturnStatus.VERIFIED and ret.disagreement_count == 0
    assert ret.final_answers["q11_how_online"] == "1;3" and ret.final_answers["q4a_digitalisation_ai_priority"] == "-1"
    assert [(k.entry_number, k.keyer_id) for k in keyings(return_id)] == [(1, kofi_id), (2, kim_id)]


def test_two_keyers_who_differ_put_the_return_in_dispute_without_overwriting(keyers, return_id):
    (kofi, _), (kim, _) = keyers
    key(kofi, return_id, answers())
    second = key(kim, return_id, answers(q1a_infrastructure_priority="2", q11_how_online="1"))
    assert "differ on 2 questions" in kim.get(second.headers["Location"]).get_data(as_text=True)
    ret = db.session.get(Return, return_id)
    assert ret.status == ReturnStatus.IN_DISPUTE and ret.final_answers is None
    first_entry, second_entry = keyings(return_id)
    assert first_entry.answers["q1a_infrastructure_priority"] == "1"
    assert second_entry.answers["q1a_infrastructure_priority"] == "2"


def test_the_same_person_cannot_key_both_entries(keyers, return_id):
    (kofi, _), _ = keyers
    key(kofi, return_id, answers())
    page = kofi.get(f"/returns/{return_id}/key")
    assert page.status_code == 403
    assert "You keyed the first entry of this return" in page.get_data(as_text=True)
    # Posting anyway (an old tab) is refused too, and nothing is saved.
    response = kofi.post(f"/returns/{return_id}/key", data=answers())
    assert response.status_code in (400, 403)
    assert len(keyings(return_id)) == 1
    assert db.session.get(Return, return_id).status == ReturnStatus.KEYED_ONCE


def test_an_old_tab_posting_as_the_same_person_is_refused(keyers, return_id):
    (kofi, _), _ = keyers
    form_page = kofi.get(f"/returns/{return_id}/key").get_data(as_text=True)  # opened twice
    key(kofi, return_id, answers())
    token = re.search(r'name="csrf_token" value="([^"]+)"', form_page)[1]
    response = kofi.post(f"/returns/{return_id}/key", data=dict(answers(), csrf_token=token, started=""))
    assert response.status_code == 403 and "someone else" in response.get_data(as_text=True)
    assert len(keyings(return_id)) == 1


def test_the_second_keyer_never_sees_the_first_entry(keyers, return_id):
    (kofi, _), (kim, _) = keyers
    key(kofi, return_id, answers(q7_anything_else="Please fix the bus wifi"))
    form = kim.get(f"/returns/{return_id}/key").get_data(as_text=True)
    assert "Please fix the bus wifi" not in form and " checked" not in form
    page = kim.get(f"/returns/{return_id}").get_data(as_text=True)
    assert "Please fix the bus wifi" not in page and "so that keying stays blind" in page
    assert "Please fix the bus wifi" in kofi.get(f"/returns/{return_id}").get_data(as_text=True)  # their own


def test_a_closed_question_left_blank_is_caught_and_everything_typed_is_kept(keyers, return_id):
    (kofi, _), _ = keyers
    response = key(kofi, return_id, answers(q3a_createch_priority="", q7_anything_else="Buses [illegible] wifi"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Question 3a: choose the answer ticked, or Not answered (-1)" in page
    assert "Buses [illegible] wifi" in page
    assert re.search(r'name="q1a_infrastructure_priority" type="radio" value="1" checked', page)
    assert keyings(return_id) == []


def test_codes_that_clash_are_refused(keyers, return_id):
    (kofi, _), _ = keyers
    page = key(kofi, return_id, answers(q11_how_online="1;-1")).get_data(as_text=True)
    assert "Question 11: choose the boxes ticked or Not answered, not both" in page
    page = key(kofi, return_id, answers(q8_responding_as="9")).get_data(as_text=True)
    assert "Question 8: 9 is not one of its codes" in page


def test_written_answers_are_kept_verbatim_with_the_illegible_marker(keyers, return_id):
    (kofi, _), (kim, _) = keyers
    text = "Cheaper [illegible] for\nolder people"
    key(kofi, return_id, answers(q7_anything_else=text))
    key(kim, return_id, answers(q7_anything_else=text))
    assert db.session.get(Return, return_id).final_answers["q7_anything_else"] == text


def test_keying_is_audited_by_entry(keyers, return_id):
    (kofi, kofi_id), _ = keyers
    key(kofi, return_id, answers())
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "return.keyed")).all()
    assert [(e.actor_id, e.details) for e in events] == [(kofi_id, {"entry": 1})]


def test_a_return_is_found_for_keying_by_its_reference(keyers, return_id, reference):
    (kofi, _), _ = keyers
    response = kofi.get("/returns/key", query_string={"q": f"{reference}-02"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/returns/{return_id}/key")
    page = kofi.get("/returns/key", query_string={"q": "12345"}).get_data(as_text=True)
    assert "There is no return number 12345" in page
