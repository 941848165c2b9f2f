"""A second consultation, outside the city region, added as a folder of data alone: seeded, a request logged and
placed in its own local authority by its own extract of the ONS Postcode Directory (a mistyped postcode flagged
for an address check), its pack drawn in its own wording and read back, a return keyed twice, and the export
naming its version."""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pdfplumber
import pytest
import yaml
from sqlalchemy import select

from service.dao.consultations import get_consultation_by_slug
from service.extensions import db
from service.models import PaperRequest, RequestStatus, Role
from service.models.types import uk_today
from service.questionnaires import definition
from tests.conftest import IsolatedClient, Staff, csrf_token
from tests.factories import stored_pack_pdf
from workers.jobs import render_request_packs

FIXTURE = Path(__file__).parent / "tewkesbury-leisure-2027"
SLUG = "tewkesbury-leisure-2027"


@pytest.fixture
def templates(tmp_path, monkeypatch) -> Path:
    """pdf_templates/ as shipped, plus the fixture folder, open today (its dates moved as the demo's are)."""
    folder = (tmp_path / "pdf_templates").resolve()
    shutil.copytree(definition.PDF_TEMPLATES / "lcr-digital-strategy-2021", folder / "lcr-digital-strategy-2021")
    shutil.copytree(FIXTURE, folder / SLUG)
    facts = yaml.safe_load((folder / SLUG / "consultation.yaml").read_text())
    shift = uk_today() - timedelta(days=7) - facts["opens_on"]
    for key in ("opens_on", "closes_on", "decision_on"):
        facts[key] += shift
    (folder / SLUG / "consultation.yaml").write_text(yaml.safe_dump(facts))
    monkeypatch.setattr(definition, "PDF_TEMPLATES", folder)
    definition.load_questionnaire.cache_clear()
    yield folder
    definition.load_questionnaire.cache_clear()


def signed_in(app, role: Role, username: str):
    app.test_client_class = IsolatedClient
    client = app.test_client()
    Staff(app, client).sign_in(role, username=username)
    return client


def pack_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in document.pages)


def key_return(client, return_id: int, answers: dict[str, str]) -> None:
    page = client.get(f"/returns/{return_id}/key").get_data(as_text=True)
    form = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page)[1],
        "started": re.search(r'name="started" value="([^"]*)"', page)[1],
        **answers,
    }
    response = client.post(f"/returns/{return_id}/key", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_consultation_from_a_folder_alone_goes_from_request_to_export(app, templates):
    seeded = app.test_cli_runner().invoke(args=["seed"])
    assert "Consultation ready: Leisure and Culture Strategy 2027-2031" in seeded.output, seeded.output
    with app.app_context():
        consultation = get_consultation_by_slug(SLUG)
        consultation_id, closes_on, decision_on = consultation.id, consultation.closes_on, consultation.decision_on
        assert consultation.areas == ["Tewkesbury"] and not consultation.is_draft
        assert consultation.area_codes == {"E07000083": "Tewkesbury"}

    # A call handler logs the request while the caller is on the line.
    handler = signed_in(app, Role.CALL_HANDLER, "hana")
    form = {
        "consultation_id": str(consultation_id),
        "name": "Priya Shah",
        "address_line_1": "3 Church Street",
        "address_line_2": "",
        "address_line_3": "",
        "town": "Tewkesbury",
        "postcode": "gl20 5tt",
        "phone": "",
        "format": "standard",
        "language": "",
        "copies": "1",
        "notes": "",
        "csrf_token": csrf_token(handler, "/requests/new"),
    }
    saved = handler.post("/requests/new", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        request_id = db.session.scalar(select(PaperRequest.id).where(PaperRequest.consultation_id == consultation_id))
        logged = db.session.get(PaperRequest, request_id)
        # The borough's own extract of the directory places the postcode: no address check is needed.
        assert logged.local_authority == "Tewkesbury" and not logged.outside_area
        assert logged.status == RequestStatus.WAITING_FOR_PACK
    assert 'id="postcode-warning"' not in handler.get(saved.headers["Location"]).get_data(as_text=True)

    # A postcode mistyped in a district the borough covers is saved, flagged, and waits for an address check;
    # one in the city region is simply outside this consultation's area.
    for postcode in ("gl20 5zz", "l1 8jq"):
        again = form | {"name": f"Caller at {postcode}", "postcode": postcode}
        again["csrf_token"] = csrf_token(handler, "/requests/new")
        response = handler.post("/requests/new", data=again)
        assert response.status_code == 302, response.get_data(as_text=True)
        if postcode == "gl20 5zz":
            page = handler.get(response.headers["Location"]).get_data(as_text=True)
    warning = page.split('id="postcode-warning"', 1)[1].split("</div>", 1)[0]
    assert "Check the postcode with the caller now" in warning
    assert "GL20 5ZZ is not in the ONS Postcode Directory (November 2025)" in warning
    checks = handler.get("/address-checks").get_data(as_text=True)
    assert "Postcode GL20 5ZZ is not in the ONS Postcode Directory (November 2025)" in checks
    with app.app_context():
        others = db.session.scalars(select(PaperRequest).where(PaperRequest.id != request_id)).all()
        by_postcode = {r.caller.postcode: (r.local_authority, r.status, r.area_label) for r in others}
    assert by_postcode == {
        "GL20 5ZZ": (None, RequestStatus.NEEDS_ADDRESS_CHECK, "Outside Tewkesbury Borough"),
        "L1 8JQ": (None, RequestStatus.WAITING_FOR_PACK, "Outside Tewkesbury Borough"),
    }
    # The handler rings back and puts the right postcode in at the address check: now it has its authority.
    mistyped = next(r.id for r in others if r.caller.postcode == "GL20 5ZZ")
    path = f"/address-checks/{mistyped}"
    fields = {"name": "Caller at gl20 5zz", "address_line_1": "3 Church Street", "address_line_2": "",
              "address_line_3": "", "town": "Tewkesbury", "postcode": "gl20 5tt"}  # fmt: skip
    checked = handler.post(path, data=fields | {"csrf_token": csrf_token(handler, path)})
    assert checked.status_code == 302, checked.get_data(as_text=True)
    with app.app_context():
        corrected = db.session.get(PaperRequest, mistyped)
        assert (corrected.local_authority, corrected.status) == ("Tewkesbury", RequestStatus.WAITING_FOR_PACK)

    # The worker draws the pack; read back, it speaks in this consultation's words, not the city region's.
    with app.app_context():
        assert render_request_packs(request_id) != "nothing to do"
        request = db.session.get(PaperRequest, request_id)
        assert request.status == RequestStatus.PACK_READY
        pack = request.packs[0]
        reference, text = pack.reference, pack_text(stored_pack_pdf(pack))
        assert pack.questionnaire_version == 3
    assert "Tewkesbury Borough Council" in text and "Leisure and Culture Strategy 2027-2031" in text
    assert "Draft" not in text and "city region" not in text.lower()
    assert "Inside are three short questions about leisure in the borough." in text
    assert "Thank you for helping us plan the borough's leisure." in text
    assert f"will decide the final strategy in {decision_on:%B %Y}." in text
    assert f"{closes_on.day} {closes_on:%B %Y}" in text.replace("\xa0", " ")
    assert "How satisfied are you with the borough's leisure centres?" in text

    # The supervisor's dashboard counts it under the borough, the others as outside it: never the city region's six.
    supervisor = signed_in(app, Role.SUPERVISOR, "sam")
    report = supervisor.get(f"/dashboard/{consultation_id}/requests-by-local-authority.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(report)))[1:]
    assert rows == [["Tewkesbury", "2"], ["Outside Tewkesbury Borough", "1"]]
    dashboard = supervisor.get(f"/dashboard/{consultation_id}").get_data(as_text=True)
    assert "from the ONS Postcode Directory, November 2025 release" in dashboard

    # The form comes back and is keyed twice, into this consultation's keying form.
    kofi, kim = signed_in(app, Role.DATA_ENTRY, "kofi"), signed_in(app, Role.DATA_ENTRY, "kim")
    data = {"reference": reference, "received_on": uk_today().isoformat()}
    received = kofi.post("/returns/receive", data=data | {"csrf_token": csrf_token(kofi, "/returns/receive")})
    return_id = int(re.search(r"received=(\d+)", received.headers["Location"])[1])
    answers = {"t1_leisure_centres": "2", "t2_visits": "3", "t3_wishes": "More benches by the river"}
    key_return(kofi, return_id, answers)
    key_return(kim, return_id, answers)

    export = supervisor.get("/returns/export.csv", query_string={"consultation": consultation_id})
    (row,) = csv.DictReader(io.StringIO(export.get_data(as_text=True)))
    assert row["questionnaire_version"] == "3"
    assert row["t1_leisure_centres_label"] == "Satisfied" and row["t2_visits_label"] == "Less often"
    assert row["t3_wishes"] == "More benches by the river"
