"""Spoken answers checked by data entry from the recording, the response in the export as `phone`, and the
recordings treated as personal data (who sees them, subject access, erasure, retention)."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from service.dao.privacy import erase_consultation_personal_data
from service.extensions import db
from service.models import Caller, PhoneRecording, PhoneResponse, PhoneResponseStatus, Role
from service.questionnaires.definition import load_questionnaire
from tests.conftest import csrf_token
from tests.ivr.conftest import CALLER_NUMBER, consultation, menu_settings, ring  # noqa: F401 (fixtures)


def answer_by_phone(ring, consultation) -> PhoneResponse:  # noqa: F811
    """A caller answers 1a by key, speaks 1b and 2b (2b not transcribed), and skips everything else."""
    call = ring()
    call.press("5")
    call.press("1")
    for question in load_questionnaire(consultation.questionnaire_file).questions:
        if question.code == "q1a_infrastructure_priority":
            call.press("2")
        elif question.code == "q1b_infrastructure_actions":
            call.silence()
            call.record(seconds=14, transcript="more fiber in nose lee")
        elif question.code == "q2b_tech_for_good_actions":
            call.press("1")
            call.record(seconds=6, transcript="")
        else:
            call.press("#")
    assert call.ended
    db.session.expire_all()
    return db.session.scalar(select(PhoneResponse))


def test_data_entry_checks_spoken_answers_and_the_response_joins_the_export(ring, consultation, staff, client):  # noqa: F811
    response = answer_by_phone(ring, consultation)
    assert response.status == PhoneResponseStatus.AWAITING_CHECK
    staff.sign_in(Role.DATA_ENTRY)
    listing = client.get("/phone-responses").get_data(as_text=True)
    assert response.reference[:3] in listing and f"/phone-responses/{response.id}/check" in listing

    path = f"/phone-responses/{response.id}/check"
    page = client.get(path).get_data(as_text=True)
    assert ">more fiber in nose lee</textarea>" in page  # the transcription, as the draft
    assert "The phone service could not transcribe it." in page  # 2b
    assert page.count("Listen to the answer to question") == 2
    assert response.recordings[0].recording_url in page
    assert "<dd>Agree</dd>" in page and "<dd>Not answered</dd>" in page  # keypad answers, already counted

    token = csrf_token(client, path)
    hostile = client.post(
        path,
        data={
            "csrf_token": token,
            "q1b_infrastructure_actions": "more fibre\x00",
            "q2b_tech_for_good_actions": "x" * 5001,
        },
    )
    text = hostile.get_data(as_text=True)
    assert hostile.status_code == 200
    assert "Question 1b: remove the invisible character" in text and "Question 2b: the answer must be 5000" in text
    assert "x" * 5001 in text  # what was typed is kept
    db.session.expire_all()
    assert db.session.get(PhoneResponse, response.id).status == PhoneResponseStatus.AWAITING_CHECK

    saved = client.post(
        path,
        data={
            "csrf_token": token,
            "q1b_infrastructure_actions": "More fibre in Knowsley ",
            "q2b_tech_for_good_actions": "=Use 5G in care homes",
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    checked = db.session.get(PhoneResponse, response.id)
    assert checked.status == PhoneResponseStatus.VERIFIED and checked.checked_by_id is not None
    assert checked.answers["q1b_infrastructure_actions"] == "More fibre in Knowsley"
    assert "There are no spoken answers waiting" in client.get("/phone-responses").get_data(as_text=True)
    assert client.get(path).status_code == 302  # nothing left to check

    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/home")})
    staff.sign_in(Role.SUPERVISOR)
    exported = client.get(f"/returns/export.csv?consultation={consultation.id}").get_data(as_text=True)
    (row,) = list(csv.DictReader(io.StringIO(exported)))
    assert row["response_id"] == f"phone-{response.id}" and row["response_mode"] == "phone"
    assert row["q1a_infrastructure_priority"] == "2" and row["q1a_infrastructure_priority_label"] == "Agree"
    assert row["q1b_infrastructure_actions"] == "More fibre in Knowsley"
    assert row["q2b_tech_for_good_actions"] == "'=Use 5G in care homes"  # no formula for spreadsheets
    assert row["q3a_createch_priority"] == "-1" and row["q3a_createch_priority_label"] == "Not answered"
    assert row["late"] == "no" and CALLER_NUMBER not in exported
    (as_json,) = json.loads(client.get(f"/returns/export.json?consultation={consultation.id}").get_data(as_text=True))
    assert as_json["q2b_tech_for_good_actions"] == "=Use 5G in care homes"


def test_only_data_entry_and_supervisors_hear_the_recordings(ring, consultation, staff, client):  # noqa: F811
    response = answer_by_phone(ring, consultation)
    staff.sign_in(Role.CALL_HANDLER)
    assert client.get("/phone-responses").status_code == 403
    assert client.get(f"/phone-responses/{response.id}/check").status_code == 403
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/home")})
    staff.sign_in(Role.DATA_ENTRY)
    for hostile in ("9223372036854775808", "2147483648", "2147483647", "0", "-1"):
        assert client.get(f"/phone-responses/{hostile}/check").status_code == 404


def test_recordings_are_in_subject_access_and_erased_with_the_caller(ring, consultation, staff, client):  # noqa: F811
    response = answer_by_phone(ring, consultation)
    url = response.recording_for("q1b_infrastructure_actions").recording_url
    caller_id = db.session.scalar(select(Caller.id).where(Caller.phone == CALLER_NUMBER))
    staff.sign_in(Role.SUPERVISOR)
    (held,) = json.loads(client.get(f"/personal-data/callers/{caller_id}/export.json").get_data(as_text=True))[
        "records"
    ]
    (survey,) = held["surveys_answered_by_phone"]
    assert survey["reference"] == response.reference
    assert [a["recording"] for a in survey["spoken_answers"]][0] == url
    assert survey["spoken_answers"][0]["transcription"] == "more fiber in nose lee"

    token = csrf_token(client, f"/personal-data/callers/{caller_id}")
    erased = client.post(
        f"/personal-data/callers/{caller_id}/erase",
        data={"csrf_token": token, "reason": "Asked by phone", "confirm": "y"},
    )
    assert erased.status_code == 302
    db.session.expire_all()
    recordings = db.session.scalars(select(PhoneRecording)).all()
    assert all(r.recording_url is None and r.draft_text == "" and r.erased_at for r in recordings)
    assert db.session.get(PhoneResponse, response.id).answers["q1a_infrastructure_priority"] == "2"  # answers stay


def test_the_retention_job_erases_the_recordings(ring, consultation, app_ctx):  # noqa: F811
    answer_by_phone(ring, consultation)
    erase_consultation_personal_data(consultation)
    db.session.expire_all()
    assert all(r.recording_url is None for r in db.session.scalars(select(PhoneRecording)))
