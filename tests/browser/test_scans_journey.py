"""Scanned returns in a real browser: a supervisor uploads a stack of generated scans, watches it read, sees
the returns received with their sure answers in, and decides every unsure box of a return on one screen by
keyboard; a second keyer then keys it blind and it is exported exactly as if keyed twice."""

from __future__ import annotations

import gc
import re

import pytest

from service.dao.returns import get_return
from service.extensions import db
from service.models import Return, ReturnStatus, Role
from service.packs.answer_boxes import answer_boxes
from service.packs.assemble import pack_content
from service.questionnaires.definition import load_questionnaire
from service.returns.export import row
from tests.browser.keyboard import focused, tab_to
from tests.browser.test_handler_journey import assert_accessible
from tests.browser.test_returns_journey import sign_in
from tests.conftest import IsolatedClient, Staff
from tests.factories import make_consultation, make_request, make_staff
from tests.returns.conftest import key
from tests.scans.conftest import as_pdf, scanned_pages
from tests.scans.test_intake import EXPECTED, MARKS, UNSURE, WRITTEN
from workers.jobs import read_scan

pytestmark = pytest.mark.browser


def _pages(pack, marks):
    content = pack_content(pack)
    boxes = answer_boxes(content.consultation, content.format)
    by_page: dict[int, dict] = {}
    for number, page_boxes in boxes.items():
        for box in page_boxes:
            if (box.question_code, box.option_code) in marks:
                by_page.setdefault(number, {})[(box.question_code, box.option_code)] = marks[
                    (box.question_code, box.option_code)
                ]
    pages = scanned_pages(pack, by_page)
    return [pages[n] for n, b in boxes.items() if b]


@pytest.fixture
def stack(app, tmp_path):
    with app.app_context():
        consultation = make_consultation("browser-scans", title="Digital Strategy (demonstration)")
        make_staff(Role.SUPERVISOR, username="sam", display_name="Sam Supervisor")
        ticked = make_request(consultation, name="Siân Roberts").packs[0]
        plain = make_request(consultation, name="Ada Lovelace", postcode="L19 2PH").packs[0]
        first, second = _pages(ticked, MARKS), _pages(plain, {("q10_local_authority", "2"): "tick"})
        mixed = [page for pair in zip(first, reversed(second), strict=True) for page in pair]  # any order
        path = tmp_path / "returns.pdf"
        path.write_bytes(as_pdf(mixed))
        return path, ticked.id, plain.id, consultation.id


# werkzeug's test server spools the uploaded stack to a temporary file; collected inside this test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_supervisor_scans_a_stack_and_verifies_only_the_unsure_boxes(app, page, live_server, stack):
    path, ticked_pack, plain_pack, consultation_id = stack
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server}/scans")
    assert_accessible(page)
    page.set_input_files("#files", str(path))
    tab_to(page, text="Upload and read")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/scans/\d+$"))
    assert page.locator("#scan-progress").is_visible()
    assert_accessible(page)
    scan_id = int(page.url.rsplit("/", 1)[1])
    gc.collect()

    with app.app_context():
        assert read_scan(scan_id).startswith("read into 2 return")  # what the worker runs
        ticked = db.session.query(Return).filter_by(pack_id=ticked_pack).one()
        plain = db.session.query(Return).filter_by(pack_id=plain_pack).one()
        ticked_id, plain_id = ticked.id, plain.id
        # Every box of the plain return was sure: its scanned entry is in without anyone.
        assert plain.status == ReturnStatus.KEYED_ONCE and plain.keyings[0].keyer_id is None
        assert plain.keyings[0].answers["q10_local_authority"] == "2"
    page.wait_for_selector("#scan-returns")  # the page reloads itself when the scan is read
    assert page.locator(f'#scan-returns tr[data-return="{ticked_id}"]').inner_text().count("to verify") == 1
    assert "Keyed once" in page.locator(f'#scan-returns tr[data-return="{plain_id}"]').inner_text()
    assert_accessible(page)

    # One screen holds every unsure box of the return, each with its picture; keyboard alone decides them.
    page.goto(f"{live_server}/scans/verify")
    page.wait_for_url(f"{live_server}/scans/verify/{ticked_id}")
    assert_accessible(page)
    marks = page.locator("[data-mark]")
    assert marks.count() == len(UNSURE)
    assert page.locator("img.scan-crop").count() == len(UNSURE)
    for i in range(marks.count()):
        group = marks.nth(i)
        if group.locator("textarea").count():
            tab_to(page, id=group.locator("textarea").get_attribute("id"))
            page.keyboard.type(WRITTEN)
        else:
            tab_to(page, id=group.locator("input[value='1']").get_attribute("id"))
            page.keyboard.press("Space")  # ticked
            assert focused(page)["id"].endswith("-1")
    tab_to(page, text="Save and go to the next return")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/scans/verify\?after="))  # not the form it is leaving
    assert "Nothing to verify" in page.locator("h1").inner_text()

    with app.app_context():
        ret = get_return(ticked_id)
        assert ret.status == ReturnStatus.KEYED_ONCE and ret.keyings[0].source == "scanned"
        assert ret.keyings[0].answers == EXPECTED
        # A second keyer keys both returns blind from the paper; they agree, so both are verified.
        app.test_client_class = IsolatedClient
        keyer = app.test_client()
        Staff(app, keyer).sign_in(Role.DATA_ENTRY)
        assert key(keyer, ticked_id, EXPECTED).status_code == 302
        assert (
            key(keyer, plain_id, {**{c: "" for c in EXPECTED}, **get_return(plain_id).keyings[0].answers}).status_code
            == 302
        )
        db.session.expire_all()
        questionnaire = load_questionnaire(get_return(ticked_id).consultation.questionnaire_file)
        for return_id in (ticked_id, plain_id):
            ret = get_return(return_id)
            assert ret.status == ReturnStatus.VERIFIED
            exported = row(questionnaire, ret)
            for code, value in ret.keyings[1].answers.items():
                assert exported[code] == value, code
        assert row(questionnaire, get_return(ticked_id))["q1b_infrastructure_actions"] == WRITTEN
