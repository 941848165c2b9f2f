"""A stack of scanned returns, start to finish: pages in any order and either way up, blank, duplicate and
unidentifiable pages; unsure boxes and written answers decided by a person; the scanned entry then counts as
one entry under the usual double-keying rules, and the export shows the answers as if keyed twice."""

from __future__ import annotations

import re

import cv2
from pypdf import PdfReader

from service.dao.returns import get_return, list_unreturned_demo_packs
from service.dao.scans import list_scan_pages, marks_of_return
from service.extensions import db
from service.models import Keying, Return, ReturnStatus, Role, Scan, ScanPage, ScanPageStatus
from service.packs.answer_boxes import answer_boxes
from service.packs.assemble import pack_content
from service.questionnaires.definition import load_questionnaire
from service.returns.export import row
from service.scans.entry import missing_pages
from tests.factories import make_consultation, make_request
from tests.returns.conftest import key

from .conftest import as_pdf, scanned_pages

MARKS = {  # (question, option) -> the mark a respondent made; "" option is a writing box
    ("q1a_infrastructure_priority", "2"): "tick",
    ("q1b_infrastructure_actions", ""): "writing",
    ("q2a_tech_for_good_priority", "1"): "cross",
    ("q2a_tech_for_good_priority", "3"): "fill",  # changed their mind: filled in to cancel
    ("q3a_createch_priority", "4"): "pencil",
    ("q4a_digitalisation_ai_priority", "1"): "tick",
    ("q4a_digitalisation_ai_priority", "2"): "tick",
    ("q5a_skills_priority", "3"): "small",
    ("q8_responding_as", "1"): "circle",
    ("q10_local_authority", "3"): "tick",
    ("q11_how_online", "1"): "tick",
    ("q11_how_online", "4"): "cross",
}
UNSURE = {("q5a_skills_priority", "3"), ("q8_responding_as", "1"), ("q1b_infrastructure_actions", "")}
WRITTEN = "Fibre for every street"
EXPECTED = {
    "q1a_infrastructure_priority": "2",
    "q1b_infrastructure_actions": WRITTEN,
    "q2a_tech_for_good_priority": "1",
    "q2b_tech_for_good_actions": "",
    "q3a_createch_priority": "4",
    "q3b_createch_actions": "",
    "q4a_digitalisation_ai_priority": "-2",
    "q4b_digitalisation_ai_actions": "",
    "q5a_skills_priority": "3",
    "q5b_skills_actions": "",
    "q6a_inclusion_priority": "-1",
    "q6b_inclusion_actions": "",
    "q7_anything_else": "",
    "q8_responding_as": "1",
    "q9_organisation_name": "",
    "q10_local_authority": "3",
    "q11_how_online": "1;4",
}


def _stack(pack, blank_image):
    """The pack's pages scanned in a shuffled order, one upside down, one smudged, plus a blank and a duplicate."""
    content = pack_content(pack)
    boxes = answer_boxes(content.consultation, content.format)
    by_page: dict[int, dict] = {}
    for number, page_boxes in boxes.items():
        for box in page_boxes:
            if (box.question_code, box.option_code) in MARKS:
                by_page.setdefault(number, {})[(box.question_code, box.option_code)] = MARKS[
                    (box.question_code, box.option_code)
                ]
    pages = scanned_pages(pack, by_page)
    questionnaire_pages = sorted(n for n, b in boxes.items() if b)
    smudged = questionnaire_pages[-2]
    # Cover both symbols of one page, as a coffee ring would: nothing left to identify it by.
    height = pages[smudged].shape[0]
    pages[smudged][int(height * 0.9) :, int(pages[smudged].shape[1] * 0.4) :] = 240
    upside_down = questionnaire_pages[1]
    pages[upside_down] = cv2.rotate(pages[upside_down], cv2.ROTATE_180)
    order = [pages[n] for n in reversed(range(1, len(pages) + 1))]
    order.insert(3, blank_image)
    order.append(pages[questionnaire_pages[0]])  # the first questionnaire page again
    return order, smudged, questionnaire_pages


def _form(html: str) -> dict:
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html)[1]}


def test_a_scanned_stack_becomes_a_return_keyed_once_then_verified_by_a_second_keyer(
    app, app_ctx, tmp_path, blank_image, sign_in
):
    consultation = make_consultation("scans-open", title="Digital Strategy")
    pack = make_request(consultation, name="Siân Roberts").packs[0]
    pages, smudged, questionnaire_pages = _stack(pack, blank_image)
    stack = tmp_path / "stack.pdf"
    stack.write_bytes(as_pdf(pages))

    result = app.test_cli_runner().invoke(args=["returns", "scan", str(stack)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()

    (ret,) = db.session.query(Return).filter_by(pack_id=pack.id).all()
    assert ret.status == ReturnStatus.RECEIVED  # received automatically by its first page
    (scan,) = db.session.query(Scan).all()
    statuses = [p.status for p in list_scan_pages(scan.id)]
    assert len(statuses) == len(pages)
    assert statuses.count(ScanPageStatus.READ) == len(questionnaire_pages) - 1
    assert statuses.count(ScanPageStatus.BLANK) == 1
    assert statuses.count(ScanPageStatus.DUPLICATE) == 1
    assert statuses.count(ScanPageStatus.TO_PLACE) == 1
    assert statuses.count(ScanPageStatus.NO_ANSWERS) == len(pages) - 2 - len(questionnaire_pages)
    assert missing_pages(ret.id) == [smudged]
    assert not ret.keyings  # a page is missing: nothing is saved yet

    # A person places the smudged page by typing what is printed at its foot.
    placer, placer_id = sign_in(Role.DATA_ENTRY)
    html = placer.get("/scans/to-place").get_data(as_text=True)
    (to_place,) = db.session.query(ScanPage).filter_by(status=ScanPageStatus.TO_PLACE).all()
    response = placer.post(
        f"/scans/pages/{to_place.id}/place",
        data={**_form(html), "reference": pack.reference, "page_number": str(smudged)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert missing_pages(ret.id) == []

    # Only the unsure boxes and the written answer wait for a person, each with its picture.
    waiting = [m for m in marks_of_return(ret.id) if m.decided_at is None]
    assert {(m.question_code, m.option_code) for m in waiting} == UNSURE
    sure = {(m.question_code, m.option_code): m.value for m in marks_of_return(ret.id) if m.decided_at is not None}
    assert sure[("q2a_tech_for_good_priority", "3")] == "0"  # filled in beside another tick: cancelled
    assert sure[("q3a_createch_priority", "4")] == "1"  # faint pencil
    verifier, verifier_id = sign_in(Role.DATA_ENTRY)
    first = verifier.get("/scans/verify")
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/scans/verify/{ret.id}")
    html = verifier.get(f"/scans/verify/{ret.id}").get_data(as_text=True)
    for mark in waiting:
        picture = verifier.get(f"/scans/marks/{mark.id}/image")
        assert picture.status_code == 200 and picture.mimetype == "image/png"
        assert picture.headers["Cache-Control"] == "no-store"
        assert f'name="mark-{mark.id}"' in html
    decisions = {f"mark-{m.id}": ("1" if m.is_tick_box else WRITTEN) for m in waiting}
    response = verifier.post(f"/scans/verify/{ret.id}", data={**_form(html), **decisions})
    assert response.status_code == 302
    db.session.expire_all()

    ret = get_return(ret.id)
    (scanned,) = ret.keyings
    assert (scanned.entry_number, scanned.source, scanned.keyer_id) == (1, "scanned", verifier_id)
    assert scanned.answers == EXPECTED
    assert ret.status == ReturnStatus.KEYED_ONCE  # double keying: a person keys it blind as entry 2
    decided = {(m.question_code, m.option_code): m.decided_by_id for m in marks_of_return(ret.id)}
    assert decided[("q5a_skills_priority", "3")] == verifier_id
    assert decided[("q1a_infrastructure_priority", "2")] is None  # the machine, with its confidence

    refused = key(verifier, ret.id, EXPECTED)
    assert "must be keyed by someone else" in refused.get_data(as_text=True)
    second_keyer, _ = sign_in(Role.DATA_ENTRY)
    assert key(second_keyer, ret.id, EXPECTED).status_code == 302
    db.session.expire_all()
    ret = get_return(ret.id)
    assert ret.status == ReturnStatus.VERIFIED
    assert len(db.session.query(Keying).filter_by(return_id=ret.id).all()) == 2
    exported = row(load_questionnaire(consultation.questionnaire_file), ret)
    for code, value in EXPECTED.items():
        assert exported[code] == value, code


def test_demo_scans_fill_in_only_packs_printed_on_paper(app, tmp_path):
    """`flask returns demo-scans` after `flask demo-data`: the braille and audio copies have no page to scan."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    stack = tmp_path / "stack.pdf"
    result = runner.invoke(args=["returns", "demo-scans", "-o", str(stack), "--packs", "5"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        waiting = list_unreturned_demo_packs(5)
        printed = [p for p in waiting if p.request.format.printed_here]
    assert len(waiting) > len(printed) > 0
    pages, packs = map(int, re.search(r"(\d+) scanned pages of (\d+) pack\(s\)", result.output).groups())
    assert packs == len(printed) and len(PdfReader(stack).pages) == pages > 0
