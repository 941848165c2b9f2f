"""Every screen of every role, in a real browser, at 320, 640 and 1280 CSS px: no page wider than the window
(WCAG 2.2 reflow: 320 px is 1280 px at 400% zoom, 640 px is 200%), and no axe-core violation.

The screens come from the app's own URL map, not a hand list: a new screen is walked the day it is added.
Routes with ids are filled from the demonstration data plus a few rows in the states some screens need.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from service.dao.calls import NewCall, log_call
from service.dao.deliveries import link_digest
from service.dao.returns import receive_return, save_keying
from service.dao.staff import get_staff_by_username
from service.demo import DEMO_ACCOUNTS, DEMO_SLUG, load_demo_data
from service.extensions import db
from service.models import (
    AccessibleFile,
    CallOutcome,
    Consultation,
    Delivery,
    DeliveryStatus,
    FileDelivery,
    Pack,
    PaperRequest,
    PhoneRecording,
    PhoneResponse,
    PhoneResponseStatus,
    PrintFormat,
    Role,
    ScanPage,
    ScanPageStatus,
)
from service.models.consultations import UK
from service.models.types import utcnow
from service.questionnaires.definition import load_questionnaire
from tests.browser.test_handler_journey import WCAG_22_AA
from tests.factories import make_request
from workers.jobs import build_print_batch, print_run, render_request_packs

pytestmark = pytest.mark.browser

WIDTHS_CHECKED_WITH_AXE = (320, 1280)
WIDTHS_CHECKED_FOR_REFLOW = (320, 640, 1280)
# Screens each role must reach (a test that visits nothing cannot fail): one per area the role works in.
MUST_REACH = {
    Role.CALL_HANDLER: {"requests.new", "calls.new", "calls.callbacks", "address_checks.check"},
    Role.DATA_ENTRY: {
        "returns.receive",
        "returns.receive_unreferenced",
        "returns.key",
        "returns.show",
        "phone_responses.check",
    },
    Role.SUPERVISOR: {
        "print_batches.show",
        "personal_data.show",
        "returns.adjudicate_return",
        "audit.index",
        "dashboard.show",
    },
}


DEMO_LINK = "demo-link-" + "x" * 33


@pytest.fixture
def screens_data(app) -> dict[str, object]:
    """Demo data, plus a row in each state a screen needs: a ready batch, an open callback, an address to
    check, a return waiting for its first entry and one in dispute. Returns values for the URL arguments."""
    with app.app_context():
        load_demo_data()
        consultation = db.session.scalar(db.select(Consultation).where(Consultation.slug == DEMO_SLUG))
        for request_id in db.session.scalars(db.select(PaperRequest.id)):
            render_request_packs(request_id)
        batch_ids = print_run()
        build_print_batch(batch_ids[0])
        handler = get_staff_by_username("handler")
        log_call(
            NewCall(consultation.id, CallOutcome.CALLBACK_NEEDED, caller_name="Ann Other", callback_due_at=utcnow()),
            handler.id,
        )
        to_check = make_request(consultation, name="Grace Hopper", address_confirmed=False, postcode="")
        today = utcnow().astimezone(UK).date()
        packs = list(db.session.scalars(db.select(Pack).where(Pack.request_id.is_not(None)).order_by(Pack.id)))
        keyer, keyer2 = get_staff_by_username("keyer"), get_staff_by_username("keyer2")
        waiting = receive_return(consultation, packs[-1], today, False, keyer.id)
        disputed = receive_return(consultation, packs[-2], today, False, keyer.id)
        questionnaire = load_questionnaire(consultation.questionnaire_file)
        blank = {q.code: "" if q.type == "text" else "-1" for q in questionnaire.questions}
        first_code = next(q.code for q in questionnaire.questions if q.type != "text")
        started = utcnow() - timedelta(minutes=2)
        save_keying(disputed.id, keyer.id, blank, started, questionnaire)
        save_keying(disputed.id, keyer2.id, blank | {first_code: "1"}, started, questionnaire)
        spoken = PhoneResponse(
            consultation_id=consultation.id,
            reference=packs[0].reference,
            questionnaire_version=1,
            status=PhoneResponseStatus.AWAITING_CHECK,
            position=17,
            answers={first_code: "2"},
            finished_at=utcnow(),
        )
        spoken.recordings.append(
            PhoneRecording(
                question_code=next(q.code for q in questionnaire.questions if q.type == "text"),
                recording_sid="RE" + "1" * 32,
                recording_url="https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE1",
                duration_seconds=14,
                draft_text="more fibre in Knowsley",
                draft_status="completed",
            )
        )
        db.session.add(spoken)
        db.session.commit()
        printed = [p for p in packs[:-2] if p.request.format == PrintFormat.STANDARD]
        scanned_page = _scanned_page(printed[-1])
        assert _scanned_page(printed[-2], smudged=True).status == ScanPageStatus.TO_PLACE
        request_row = db.session.get(PaperRequest, packs[0].request_id)
        # The demo audio copy, as if sent by email: its download page (the caller's, signed out) is walked too.
        audio = db.session.scalar(db.select(AccessibleFile).where(AccessibleFile.format == PrintFormat.AUDIO))
        db.session.add(
            FileDelivery(
                pack_id=audio.pack_id,
                channel=Delivery.EMAIL,
                status=DeliveryStatus.SENT,
                link_sha256=link_digest(DEMO_LINK),
                link_expires_at=utcnow() + timedelta(days=28),
            )
        )
        db.session.commit()
        return {
            "token": DEMO_LINK,
            "request_id": {"address_checks.check": to_check.id, None: request_row.id},
            "pack_id": packs[0].id,
            "batch_id": batch_ids[0],
            "caller_id": request_row.caller_id,
            "consultation_id": consultation.id,
            "user_id": handler.id,
            "report": "requests-by-format",
            "file_format": "csv",
            "extension": "txt",
            "response_id": spoken.id,
            "scan_id": scanned_page.scan_id,
            "page_id": scanned_page.id,
            "mark_id": scanned_page.marks[0].id,
            "return_id": {"returns.key": waiting.id, "returns.adjudicate_return": disputed.id, None: waiting.id},
        }


def _scanned_page(pack: Pack, smudged: bool = False) -> ScanPage:
    """The first questionnaire page of a pack, printed and scanned in software and read by the intake;
    smudged: its barcodes covered, so it waits in "pages to place" (with the supervisor's delete form)."""
    import random

    from service.dao.scans import create_scan
    from service.packs.answer_boxes import questionnaire_page_numbers
    from service.packs.assemble import pack_content
    from service.scans.cli import store_upload
    from service.scans.intake import read_scan
    from service.scans.synthetic import print_and_scan, random_settings, render_pages, stack_pdf

    content = pack_content(pack)
    number = questionnaire_page_numbers(content.consultation, content.format)[0]
    rng = random.Random(1)
    printed = render_pages(content)[number - 1].copy()
    if smudged:
        printed[int(printed.shape[0] * 0.85) :, :] = 255
    scanned = print_and_scan(printed, random_settings(rng, 200), rng)
    data = stack_pdf([scanned])
    scan = create_scan(store_upload(data), "scan.pdf", 1, None)
    read_scan(scan.id, data)
    return db.session.scalar(db.select(ScanPage).where(ScanPage.scan_id == scan.id))


def screen_urls(app, values: dict[str, object]) -> dict[str, str]:
    """A URL for every GET route of the app (the phone menu's webhooks and static files aside)."""
    urls = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            args = {}
            for name in rule.arguments:
                value = values.get(name)
                if isinstance(value, dict):
                    value = value.get(rule.endpoint, value[None])
                assert value is not None, f"Add a demo row for <{name}> in {rule.rule}: every screen is walked"
                args[name] = value
            urls[rule.endpoint] = app.url_for(rule.endpoint, **args)
    return urls


# What sticks out: the outermost elements whose right edge is past the window, to say where to look.
WIDEST = """() => {
  const outside = e => e.getBoundingClientRect().right > window.innerWidth + 0.5;
  const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== "visible") return true; } return false; };
  return Array.from(document.querySelectorAll("body *"))
    .filter(e => outside(e) && !clipped(e))
    .filter((e, i, all) => !all.includes(e.parentElement))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))
    .join(", "); }"""


def sign_in(page, live_server: str, username: str, password: str) -> None:
    page.goto(f"{live_server}/sign-in")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/home")


def check_screen(page, url: str) -> list[str]:
    """Open one screen at each width; return what is wrong with it."""
    problems = []
    for width in WIDTHS_CHECKED_FOR_REFLOW:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{url} at {width} px is {overflow} px wider than the window: {page.evaluate(WIDEST)}")
        if width in WIDTHS_CHECKED_WITH_AXE:
            results = Axe().run(page, options=WCAG_22_AA)
            if results.violations_count:
                problems.append(f"{url} at {width} px: {results.generate_report()}")
    return problems


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_screen_of_the_role_reflows_and_passes_axe(page, live_server, app, screens_data, role):
    account = next(a for a in DEMO_ACCOUNTS if a.role == role)
    sign_in(page, live_server, account.username, account.password)
    reached, problems = set(), []
    for endpoint, path in sorted(screen_urls(app, screens_data).items()):
        response = page.request.get(live_server + path, max_redirects=0)
        assert response.status < 500, f"{path} answered {response.status} for {role.value}"
        download = response.headers.get("content-disposition", "").startswith("attachment")
        if response.status != 200 or download or not response.headers.get("content-type", "").startswith("text/html"):
            continue  # a download, JSON, a redirect to a screen walked anyway, or not this role's screen
        reached.add(endpoint)
        problems += check_screen(page, live_server + path)
    assert MUST_REACH[role] <= reached, f"{role.value} never reached {MUST_REACH[role] - reached}"
    assert not problems, "\n".join(problems)


def test_sign_in_screen_reflows_and_passes_axe(page, live_server, app):
    assert not check_screen(page, f"{live_server}/sign-in")
