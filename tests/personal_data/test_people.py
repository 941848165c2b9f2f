"""One person, found once: records grouped by name and postcode or phone, with the evidence; a supervisor
confirms or splits a match; the export is one file per person with every record and audit entry."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.dao.calls import NewCall, log_call
from service.extensions import db
from service.models import Caller, CallerLink, CallOutcome, LinkDecision, PaperRequest, Role
from service.models.types import utcnow
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request

NAME, POSTCODE, PHONE = "Persephone Quirke", "L18 1DG", "+447911123456"


def one_person_four_records(app) -> dict:
    """Three requests (two consultations; one gives a phone) and a callback asked for by phone."""
    with app.app_context():
        digital, transport = make_consultation(), make_consultation()
        requests = [
            make_request(digital, name=NAME, postcode=POSTCODE, address_line_1="7 Lark Lane"),
            make_request(
                transport, name="persephone  QUIRKE", postcode=POSTCODE, address_line_1="7 Lark Lane", phone=PHONE
            ),  # fmt: skip
            make_request(
                digital,
                name="Persephone Quirke",
                postcode=POSTCODE,
                address_line_1="7 Lark Lane",
                copies=2,
                duplicate_reason="Lost the first",
            ),  # fmt: skip
        ]
        handler = db.session.scalar(select(PaperRequest.created_by_id))
        callback = log_call(
            NewCall(
                consultation_id=digital.id,
                outcome=CallOutcome.CALLBACK_NEEDED,
                caller_name="Mrs Quirke",
                caller_phone=PHONE,
                callback_due_at=utcnow() + timedelta(days=1),
            ),
            handler,
        )
        make_request(digital, name="Someone Else", postcode="CH41 1AA", address_line_1="9 Other Road")
        return {
            "callers": [r.caller_id for r in requests] + [callback.caller_id],
            "references": [p.reference for r in requests for p in r.packs],
            "requests": [r.id for r in requests],
            "call": callback.id,
        }


def people_rows(page: str) -> list[str]:
    table = page.split('id="people"', 1)[1].split("</table>", 1)[0] if 'id="people"' in page else ""
    return re.findall(r"<tr><td>.*?</tr>", table, re.S)


@pytest.mark.parametrize("query", ["name=quirke", "postcode=l181dg", "phone=07911+123456", "reference={reference}"])
def test_a_person_with_three_requests_and_a_callback_is_found_once_with_the_evidence(app, client, staff, query):
    staff.sign_in(Role.SUPERVISOR)
    held = one_person_four_records(app)
    page = client.get(f"/personal-data?{query.format(reference=held['references'][0])}").get_data(as_text=True)
    assert "1 person found." in page
    (row,) = people_rows(page)
    assert ">4</td>" in row and "same name and postcode" in row and "same phone number" in row
    assert "Someone Else" not in page


def test_confirmed_matches_are_exported_in_one_file_with_every_record_and_audit_entry(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    held = one_person_four_records(app)
    first = held["callers"][0]
    person = client.get(f"/personal-data/callers/{first}").get_data(as_text=True)
    assert "Same name and postcode" in person and "Same phone number" in person and "Suggested" in person
    # Before any match is confirmed, only the record asked about goes out: a namesake's data must not.
    (only,) = json.loads(client.get(f"/personal-data/callers/{first}/export.json").get_data(as_text=True))["records"]
    assert only["record"] == first
    token = csrf_token(client, f"/personal-data/callers/{first}")
    for other in held["callers"][1:]:
        pair = sorted((first, other)) if other != held["callers"][3] else sorted((held["callers"][1], other))
        response = client.post(
            f"/personal-data/callers/{pair[0]}/links/{pair[1]}",
            data={"csrf_token": token, "decision": "confirmed", "shown": first},
        )
        assert response.status_code == 302 and response.location.endswith(f"/personal-data/callers/{first}")
    export = json.loads(client.get(f"/personal-data/callers/{first}/export.json").get_data(as_text=True))
    assert sorted(r["record"] for r in export["records"]) == sorted(held["callers"])
    exported_references = {ref for r in export["records"] for request in r["requests"] for ref in request["references"]}
    assert exported_references == set(held["references"])
    assert any(call["outcome"] == "Callback needed" for r in export["records"] for call in r["calls"])
    said = [e["what"] for e in export["audit_trail"]]
    second = held["callers"][1]
    assert f"Confirmed that caller {first} and caller {second} are the same person (same name and postcode)" in said
    assert f"Exported the personal data of caller {first} (subject access)" in said
    assert any(s.startswith("Logged request") for s in said)  # entries about their requests, too
    # The same, as one page a person can read.
    response = client.get(f"/personal-data/callers/{first}/export.html")
    assert response.headers["Content-Disposition"] == f"attachment; filename=subject-access-{first}.html"
    assert response.headers["Cache-Control"] == "no-store"
    readable = response.get_data(as_text=True)
    assert readable.count("<h2>Record ") == 4 and "Audit trail" in readable
    assert all(reference in readable for reference in held["references"])


def test_a_split_match_is_not_suggested_again_and_each_person_is_found_apart(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation = make_consultation()
        father = make_request(consultation, name="John Smith", postcode="L18 1DG", address_line_1="1 Mather Avenue")
        son = make_request(consultation, name="John Smith", postcode="L18 1DG", address_line_1="1 Mather Avenue")
        ids = sorted((father.caller_id, son.caller_id))
    assert "1 person found." in client.get("/personal-data?name=john+smith").get_data(as_text=True)
    token = csrf_token(client, f"/personal-data/callers/{ids[0]}")
    client.post(f"/personal-data/callers/{ids[0]}/links/{ids[1]}", data={"csrf_token": token, "decision": "split"})
    page = client.get("/personal-data?name=john+smith").get_data(as_text=True)
    assert "2 people found." in page and len(people_rows(page)) == 2
    assert "Suggested" not in client.get(f"/personal-data/callers/{ids[0]}").get_data(as_text=True)
    with app.app_context():
        (link,) = db.session.scalars(select(CallerLink)).all()
        assert (link.caller_id, link.other_id, link.decision) == (ids[0], ids[1], LinkDecision.SPLIT)
        assert link.evidence == "same name and postcode"
    # Deciding again replaces the decision: one row per pair.
    client.post(f"/personal-data/callers/{ids[0]}/links/{ids[1]}", data={"csrf_token": token, "decision": "confirmed"})
    with app.app_context():
        assert db.session.scalars(select(CallerLink.decision)).all() == [LinkDecision.CONFIRMED]


def test_records_not_shown_together_cannot_be_linked_and_bad_decisions_are_refused(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation = make_consultation()
        a = make_request(consultation, name="Ada Lovelace", postcode="L1 4DN").caller_id
        b = make_request(
            consultation, name="Alan Turing", postcode="CH41 1AA", address_line_1="3 Marine Road"
        ).caller_id
    token = csrf_token(client, f"/personal-data/callers/{a}")
    url = f"/personal-data/callers/{min(a, b)}/links/{max(a, b)}"
    assert client.post(url, data={"csrf_token": token, "decision": "confirmed"}).status_code == 404
    c = None
    with app.app_context():
        c = make_request(make_consultation(), name="Ada Lovelace", postcode="L1 4DN").caller_id
    url = f"/personal-data/callers/{a}/links/{c}"
    assert client.post(url, data={"csrf_token": token, "decision": "maybe"}).status_code == 400
    with app.app_context():
        assert db.session.scalars(select(CallerLink)).all() == []


def test_the_database_keeps_one_decision_per_pair_lower_id_first(app_ctx):
    consultation = make_consultation()
    a = make_request(consultation, name="Ada Lovelace", postcode="L1 4DN").caller_id
    b = make_request(consultation, name="Ada Lovelace", postcode="L1 4DN").caller_id
    db.session.add(CallerLink(caller_id=a, other_id=b, decision=LinkDecision.SPLIT, evidence=""))
    db.session.commit()
    for low, high in ((a, b), (b, a)):
        db.session.add(CallerLink(caller_id=low, other_id=high, decision=LinkDecision.CONFIRMED, evidence=""))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_erasing_a_person_takes_their_confirmed_records_and_leaves_a_namesake_unconfirmed(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    held = one_person_four_records(app)
    first, second, third, callback = held["callers"]
    token = csrf_token(client, f"/personal-data/callers/{first}")
    for pair in ((first, second), (first, third)):
        client.post(
            f"/personal-data/callers/{pair[0]}/links/{pair[1]}", data={"csrf_token": token, "decision": "confirmed"}
        )
    confirm = client.get(f"/personal-data/callers/{first}/erase").get_data(as_text=True)
    assert (
        "(3 records: 3 requests and 3 calls)" in confirm
        and "1 other record suggested as the same person is not erased" in confirm
    )
    client.post(f"/personal-data/callers/{first}/erase", data={"csrf_token": token, "reason": "Asked us to"})
    with app.app_context():
        names = {c.id: c.name for c in db.session.scalars(select(Caller).where(Caller.id.in_(held["callers"])))}
    assert names == {first: "", second: "", third: "", callback: "Mrs Quirke"}
