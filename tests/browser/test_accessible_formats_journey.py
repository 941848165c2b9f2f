"""The issue's "done when", in a real browser: a call handler logs a braille and an audio request by
keyboard; a real worker process makes the files; the alternative-formats screen offers the BRF and plays
the MP3; both are in the next print batch's manifest."""

from __future__ import annotations

import csv
import gc
import io
import re
import time
from pathlib import Path

import pytest

from service.extensions import db
from service.models import AccessibleFile, Role
from service.print_batches.manifest import manifest_csv
from tests.browser.keyboard import tab_to
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_staff
from tests.worker_processes import WorkerProcess
from workers.jobs import build_print_batch, print_run

pytestmark = pytest.mark.browser
FORMAT_RADIOS = {"braille": "format-3", "audio": "format-4"}


@pytest.fixture
def setup(app):
    with app.app_context():
        consultation = make_consultation("formats", title="Digital Strategy (demonstration)")
        make_staff(Role.CALL_HANDLER, username="hana", display_name="Hana Handler")
        return consultation.id


def log_request(page, live_server: str, name: str, street: str, print_format: str) -> str:
    page.goto(f"{live_server}/requests/new")
    page.locator("h1").click()
    for field_id, text in (("name", name), ("address_line_1", street), ("town", "Liverpool")):
        type_into(page, field_id, text)
    type_into(page, "postcode", "l19bq")
    tab_to(page, id="format-0")
    while page.evaluate("document.activeElement.id") != FORMAT_RADIOS[print_format]:
        page.keyboard.press("ArrowDown")  # arrows choose within the radio group
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # copies: Enter saves
    page.wait_for_url(re.compile(r"/requests/\d+\?saved=1"))
    return page.locator("[data-reference]").first.inner_text()


# The player reads the MP3's first bytes and drops the connection; werkzeug's test server then leaves the
# streamed file for the garbage collector (gunicorn closes it). That warning is the test server's, not ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_braille_and_audio_made_by_the_worker_are_offered_on_the_screen_and_batched(
    app, page, live_server, setup, database_url, redis_url, file_store, tmp_path
):
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", "hana")
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")
    braille_reference = log_request(page, live_server, "Bethan Braille", "12 Hope Street", "braille")
    audio_reference = log_request(page, live_server, "Aled Audio", "3 Bold Street", "audio")

    started = time.monotonic()
    worker = WorkerProcess(database_url, redis_url, file_store, tmp_path / "worker.log", "--burst")
    assert worker.wait(300) == 0, (tmp_path / "worker.log").read_text()
    made_in = time.monotonic() - started
    with app.app_context():
        made = db.session.query(AccessibleFile).count()
    assert made == 2, f"the worker made {made} files in {made_in:.0f} s"

    page.goto(f"{live_server}/requests/alternative-formats")
    table = page.locator("#made-by-the-service")
    braille_row = table.locator("tr", has_text=braille_reference)
    audio_row = table.locator("tr", has_text=audio_reference)
    assert "Pack ready to print" in braille_row.inner_text()
    with page.expect_download() as download:
        braille_row.get_by_role("link", name=re.compile("Download BRF")).click()
    brf = Path(download.value.path()).read_bytes()
    assert brf.endswith(b"\f") and len(brf.split(b"\f")) > 5
    # The browser can play the MP3: it reads its length from the file the page links.
    player = audio_row.locator("audio")
    seconds = player.evaluate(
        """audio => new Promise((resolve, reject) => {
             audio.addEventListener('loadedmetadata', () => resolve(audio.duration));
             audio.addEventListener('error', () => reject(new Error('cannot play')));
             audio.preload = 'metadata'; audio.load(); })"""
    )
    assert seconds > 120
    assert_accessible(page)
    page.goto(f"{live_server}/home")  # the player lets go of the MP3...
    gc.collect()  # ...and its dropped stream is collected here, under this test's warning filter

    with app.app_context():
        batch_ids = print_run()
        for batch_id in batch_ids:
            build_print_batch(batch_id)
        rows = [row for batch_id in batch_ids for row in csv.DictReader(io.StringIO(manifest_csv(batch_id)))]
    files = {row["reference"]: row["file"] for row in rows}
    assert files == {
        braille_reference.replace(" ", ""): f"{braille_reference.replace(' ', '')}.brf",
        audio_reference.replace(" ", ""): f"{audio_reference.replace(' ', '')}.mp3",
    }
