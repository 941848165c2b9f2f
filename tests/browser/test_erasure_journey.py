"""Done when (issue 14): a request logged, printed into a batch, its caller erased; then the name is in no PDF,
manifest, stored pack, page or log, the batch still prints for everyone else, and the dashboard's request
counts are unchanged."""

from __future__ import annotations

import io
import logging
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from service import storage
from service.extensions import db
from service.models import BatchStatus, Pack, PrintBatch, Role
from service.print_batches.manifest import manifest_csv
from tests.browser.test_handler_journey import assert_accessible
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_request, make_staff
from tests.worker_processes import WorkerProcess

pytestmark = pytest.mark.browser

# Nobody else in the test suite has this name or address, so finding them anywhere is this test's failure.
NAME, STREET, POSTCODE = "Wilhelmina Zephyrine", "14 Quayside Mews", "L3 4AQ"
PERSONAL = ("Wilhelmina", "Zephyrine", "Quayside", "L3 4AQ", "L34AQ", "7700 900123", "447700900123")
OTHERS = ("Tobias Fairweather", "Ottoline Brackenbury")


@pytest.fixture
def setup(app):
    with app.app_context():
        consultation = make_consultation("erasure", title="Erasure consultation")
        make_staff(Role.SUPERVISOR, username="sasha", display_name="S. Supervisor")
        make_request(consultation, name=OTHERS[0], address_line_1="3 Marine Road", postcode="CH41 1AA")
        make_request(consultation, name=OTHERS[1], address_line_1="9 Lark Lane", postcode="L17 8UU")
        return consultation.id


def run_worker(database_url, redis_url, file_store, log: Path) -> None:
    worker = WorkerProcess(database_url, redis_url, file_store, log, "--burst")
    assert worker.wait(300) == 0, log.read_text()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=False).stdout


def print_run_now(page, live_server) -> None:
    page.goto(f"{live_server}/print-batches")
    page.get_by_role("button", name="Print run now").click()
    page.wait_for_url(f"{live_server}/print-batches")


def download(page, url: str) -> bytes:
    response = page.request.get(url)
    assert response.status == 200, url
    return response.body()


def dashboard_counts(page, live_server, consultation_id: int) -> dict[str, str]:
    page.goto(f"{live_server}/dashboard/{consultation_id}")
    main = page.locator("main")
    counts = {
        section: main.locator(f"#{section}").inner_text()
        for section in ("requests-by-day", "requests-by-format", "requests-by-local-authority", "returns")
    }
    counts["total"] = re.search(r"[\d,]+ requests? so far", main.inner_text()).group(0)
    return counts


def test_an_erased_caller_is_in_no_file_page_or_log_and_the_batch_prints_for_everyone_else(
    app, page, live_server, setup, database_url, redis_url, file_store, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    consultation_id = setup
    page.goto(f"{live_server}/sign-in")
    page.fill("#username", "sasha")
    page.fill("#password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")

    # A request logged on the form, made into a pack by the worker, then printed in a batch with two others.
    page.goto(f"{live_server}/requests/new")
    for field, value in (("name", NAME), ("address_line_1", STREET), ("town", "Liverpool"), ("postcode", POSTCODE),
                         ("phone", "07700 900123")):  # fmt: skip
        page.fill(f"#{field}", value)
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url(re.compile(r"/requests/(\d+)\?saved=1"))
    request_id = int(re.search(r"/requests/(\d+)", page.url).group(1))
    run_worker(database_url, redis_url, file_store, tmp_path / "render.log")
    print_run_now(page, live_server)
    run_worker(database_url, redis_url, file_store, tmp_path / "print.log")
    with app.app_context():
        (batch_id,) = db.session.scalars(select(PrintBatch.id).where(PrintBatch.status == BatchStatus.READY))
    printed = pdf_text(download(page, f"{live_server}/print-batches/{batch_id}/batch.pdf"))
    assert NAME in printed and all(name in printed for name in OTHERS)  # the data really was in the print file
    assert NAME in download(page, f"{live_server}/print-batches/{batch_id}/manifest.csv").decode()
    before = dashboard_counts(page, live_server, consultation_id)

    # Erase, as a supervisor would: find the person, open them, erase with a reason.
    page.goto(f"{live_server}/personal-data")
    page.fill("#name", "zephyrine")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=NAME).click()
    page.get_by_role("link", name="Erase this person's data").click()
    assert (
        f"Batch {batch_id} (standard print) is not yet sent to print: it will be cancelled"
        in page.locator("main").inner_text()
    )
    page.fill("#reason", "They asked us to")
    page.get_by_role("button", name="Erase this person's data").click()
    page.wait_for_url(re.compile(r"/personal-data/callers/\d+$"))
    erased = page.locator("main").inner_text()
    assert re.search(r"Personal data erased on \d{1,2} \w+ \d{4} by S\. Supervisor", erased)
    assert f"Batch {batch_id} was not yet sent to print: it was cancelled" in erased
    assert_accessible(page)

    # Screens that meet the erased request say so plainly.
    page.goto(f"{live_server}/requests/{request_id}")
    assert "Personal data erased on" in page.locator("#erased-notice").inner_text()
    assert_accessible(page)
    with app.app_context():
        pack_id = db.session.scalar(select(Pack.id).where(Pack.request_id == request_id))
    response = page.goto(f"{live_server}/requests/{request_id}/packs/{pack_id}.pdf")
    assert response.status == 410 and "Personal data erased on" in page.locator("main").inner_text()
    assert_accessible(page)

    # The batch still prints for everyone else: the next print run makes a batch of the two others.
    print_run_now(page, live_server)
    run_worker(database_url, redis_url, file_store, tmp_path / "reprint.log")
    with app.app_context():
        (next_batch,) = db.session.scalars(select(PrintBatch.id).where(PrintBatch.status == BatchStatus.READY))
    reprinted = pdf_text(download(page, f"{live_server}/print-batches/{next_batch}/batch.pdf"))
    assert all(name in reprinted for name in OTHERS) and NAME not in reprinted
    manifest = download(page, f"{live_server}/print-batches/{next_batch}/manifest.csv").decode()
    assert all(name in manifest for name in OTHERS)
    assert page.request.get(f"{live_server}/print-batches/{batch_id}/batch.pdf").status == 404  # cancelled

    # The dashboard's request counts are as they were: the request stays, without the person.
    assert dashboard_counts(page, live_server, consultation_id) == before

    # Nowhere: no file in the store (PDFs read back as text), no manifest, no stored pack, no page, no log.
    for path in (p for p in file_store.rglob("*") if p.is_file()):
        text = pdftotext(path) if path.suffix == ".pdf" else path.read_bytes().decode("latin-1")
        assert not any(personal in text for personal in PERSONAL), path
    with app.app_context():
        for batch in db.session.scalars(select(PrintBatch.id)):
            assert not any(personal in manifest_csv(batch) for personal in PERSONAL)
        # Stored packs: the erased person's no longer named by any row, and none in the store holds them.
        assert db.session.scalar(select(Pack.file_key).where(Pack.request_id == request_id)) is None
        stored = [
            storage.path_for(k) for k in db.session.scalars(select(Pack.file_key).where(Pack.file_key.is_not(None)))
        ]
        assert len(stored) == 2 and all(path.exists() for path in stored)  # the other two callers'
        for path in stored:
            assert not any(personal in pdf_text(path.read_bytes()) for personal in PERSONAL)
    for url in (f"/requests/{request_id}", "/requests?q=zephyrine", "/personal-data?name=zephyrine",
                f"/print-batches/{batch_id}", f"/print-batches/{next_batch}", "/print-batches", "/audit"):  # fmt: skip
        page.goto(f"{live_server}{url}")
        assert not any(personal in page.content() for personal in PERSONAL), url
    logs = caplog.text + "".join(log.read_text() for log in tmp_path.glob("*.log"))
    assert "signed in" in logs and "GET /personal-data" in logs  # the web and worker logs were captured
    assert not any(personal in logs for personal in PERSONAL)


def test_a_person_with_three_requests_and_a_callback_is_found_once_and_exported_in_one_file(
    app, page, live_server, setup
):
    from tests.personal_data.test_people import one_person_four_records

    held = one_person_four_records(app)
    page.goto(f"{live_server}/sign-in")
    page.fill("#username", "sasha")
    page.fill("#password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")
    page.goto(f"{live_server}/personal-data")
    page.fill("#name", "quirke")
    page.get_by_role("button", name="Find").click()
    assert "1 person found." in page.locator("[role=status]").inner_text()
    (row,) = page.locator("#people tbody tr").all()
    assert "Persephone Quirke" in row.inner_text() and "\t4\t" in row.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Persephone Quirke").click()
    page.wait_for_url(re.compile(r"/personal-data/callers/\d+$"))
    assert_accessible(page)
    # Confirm every suggested match, as the supervisor who spoke to her would.
    while page.get_by_role("button", name=re.compile("^Confirm")).count():
        page.get_by_role("button", name=re.compile("^Confirm")).first.click()
        page.wait_for_load_state()
    assert page.locator("#links").inner_text().count("Confirmed the same person") >= 3
    with page.expect_download() as download:
        page.get_by_role("link", name="Export everything held (readable page)").click()
    readable = Path(download.value.path()).read_text()
    assert readable.count("<h2>Record ") == 4 and "Audit trail" in readable
    assert all(reference in readable for reference in held["references"]) and "Callback needed" in readable
    assert "Someone Else" not in readable
