"""Scans through the screens and the queue; who may see scan images; hostile input; subject access and erasure;
two processes reading the same pages at once."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rq.job import Job
from rq.serializers import JSONSerializer

from service import storage
from service.dao.privacy import get_caller
from service.extensions import db
from service.models import Return, Role, Scan, ScanPage, ScanPageStatus, ScanStatus
from service.packs.answer_boxes import answer_boxes
from service.packs.assemble import pack_content
from service.queues import redis_connection
from service.queues.enqueue import scan_job_id
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request
from workers.jobs import read_scan

from .conftest import as_pdf, scanned_pages

ROOT = Path(__file__).resolve().parents[2]


def _questionnaire_pages(pack, marks=None):
    content = pack_content(pack)
    numbers = [n for n, boxes in answer_boxes(content.consultation, content.format).items() if boxes]
    pages = scanned_pages(pack, marks or {})
    return [pages[n] for n in numbers]


@pytest.fixture
def pack(app_ctx):
    consultation = make_consultation("scans-data", title="Digital Strategy")
    return make_request(consultation, name="Siân Roberts").packs[0]


# The test client spools a multipart body over 500 KB to a temporary file and leaves it to the garbage
# collector (a browser's server closes it): collected inside this test, under this filter.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_upload_is_read_by_the_queued_job_with_progress(app, client, staff, pack):
    staff.sign_in(Role.DATA_ENTRY)
    pages = _questionnaire_pages(pack)[:2]
    token = csrf_token(client, "/scans")
    response = client.post(
        "/scans",
        data={"csrf_token": token, "files": (io.BytesIO(as_pdf(pages)), "stack.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    scan_id = int(response.headers["Location"].rsplit("/", 1)[1])
    del response  # it holds the request, and so the spooled body
    gc.collect()
    job = Job.fetch(scan_job_id(scan_id), connection=redis_connection(), serializer=JSONSerializer)
    assert job.func_name == "workers.jobs.read_scan" and job.args == [scan_id]
    assert client.get(f"/scans/{scan_id}/progress").json == {
        "status": "queued",
        "label": "Queued",
        "done": 0,
        "total": 2,
    }
    assert "Reading the scan" in client.get(f"/scans/{scan_id}").get_data(as_text=True)

    assert read_scan(scan_id) == "read into 1 return(s)"
    assert read_scan(scan_id) == "nothing to do"  # safe to run twice
    assert client.get(f"/scans/{scan_id}/progress").json["status"] == "done"
    db.session.expire_all()
    scan = db.session.get(Scan, scan_id)
    assert scan.status == ScanStatus.DONE and [p.status for p in scan.pages] == [ScanPageStatus.READ] * 2
    assert scan.file_key == ""  # the uploaded stack is deleted once each page is kept on its own
    page = client.get(f"/scans/{scan_id}").get_data(as_text=True)
    assert "Pages missing" in page and pack.reference[:3] in page


def test_scan_images_are_for_data_entry_and_supervisors_only(app, client, staff, pack, sign_in):
    from service.dao.scans import create_scan
    from service.scans.cli import store_upload
    from service.scans.intake import read_scan as read_stack

    data = as_pdf(_questionnaire_pages(pack)[:1])
    scan = create_scan(store_upload(data), "one.pdf", 1, None)
    read_stack(scan.id, data)
    (page,) = db.session.query(ScanPage).all()
    staff.sign_in(Role.CALL_HANDLER)
    for path in (
        "/scans",
        f"/scans/{scan.id}",
        f"/scans/pages/{page.id}/image",
        f"/scans/marks/{page.marks[0].id}/image",
    ):
        assert client.get(path).status_code == 403, path
    supervisor, _ = sign_in(Role.SUPERVISOR)
    picture = supervisor.get(f"/scans/pages/{page.id}/image")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert picture.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    ["/scans/9223372036854775808", "/scans/0", "/scans/pages/99999999999/image", "/scans/marks/2147483648/image",
     "/scans/verify/9223372036854775807", "/scans/returns/18446744073709551616", "/scans/verify?after=%00",
     "/scans/verify?after=%D9%A3"],
)  # fmt: skip
def test_hostile_addresses_get_a_plain_answer(app, client, staff, path):
    staff.sign_in(Role.DATA_ENTRY)
    response = client.get(path)
    # 400: a control character in the address gets the app-wide plain message (service/params.py).
    assert response.status_code in (200, 400, 404), path
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"not a scan", "not a PDF, TIFF, JPEG or PNG"),
        ("broken.pdf", b"%PDF-1.4\n\x00\x00 garbage", "cannot be opened"),
        ("x\x00.tif", b"II*\x00\x08\x00\x00\x00broken", "cannot be opened"),
    ],
)
def test_a_file_that_is_not_a_scan_is_refused_beside_the_field(app_ctx, client, staff, name, content, message):
    staff.sign_in(Role.DATA_ENTRY)
    response = client.post(
        "/scans",
        data={"csrf_token": csrf_token(client, "/scans"), "files": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'id="files-error"' in html
    assert db.session.query(Scan).count() == 0


def test_subject_access_includes_scan_images_and_erasure_removes_them(app, client, staff, pack, file_store):
    from service.dao.scans import create_scan
    from service.scans.cli import store_upload
    from service.scans.intake import read_scan as read_stack

    data = as_pdf(_questionnaire_pages(pack)[:1])
    scan = create_scan(store_upload(data), "one.pdf", 1, None)
    read_stack(scan.id, data)
    (page,) = db.session.query(ScanPage).all()
    image = storage.path_for(page.image_key)
    assert image.exists()
    caller_id = pack.request.caller_id
    staff.sign_in(Role.SUPERVISOR)
    (exported,) = json.loads(client.get(f"/personal-data/callers/{caller_id}/export.json").get_data(as_text=True))[
        "records"
    ]
    (scanned,) = exported["scanned_pages"]
    assert scanned["reference"] == pack.reference and scanned["image_png_base64"].startswith("iVBOR")

    token = csrf_token(client, f"/personal-data/callers/{caller_id}")
    response = client.post(
        f"/personal-data/callers/{caller_id}/erase", data={"csrf_token": token, "reason": "Asked", "confirm": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert get_caller(caller_id).erased_at is not None
    assert not image.exists()
    assert db.session.get(ScanPage, page.id).image_key is None
    assert client.get(f"/scans/pages/{page.id}/image").status_code == 404
    assert not list(Path(file_store, "scans", "uploads").glob("*"))  # nor the uploaded stack


def test_two_processes_reading_the_same_pages_at_once_read_each_page_once(
    app, pack, tmp_path, database_url, file_store
):
    stack = tmp_path / "stack.pdf"
    stack.write_bytes(as_pdf(_questionnaire_pages(pack)[:2]))  # two of its pages: the return stays open
    env = dict(os.environ, DATABASE_URL=database_url, FILE_STORE_DIR=str(file_store), SURVEY_LINE_ENV="test",
               REDIS_URL=app.config["REDIS_URL"], FLASK_APP="service:create_app")  # fmt: skip
    flask = [sys.executable, "-m", "flask", "returns", "scan", str(stack)]
    runs = [
        subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    db.session.expire_all()
    (ret,) = db.session.query(Return).all()
    pages = db.session.query(ScanPage).all()
    read = sorted(p.page_number for p in pages if p.status == ScanPageStatus.READ)
    assert len(pages) == 2 * len(read)
    assert len(set(read)) == len(read) and all(p.return_id == ret.id for p in pages if p.status == ScanPageStatus.READ)
    assert {p.status for p in pages if p.status != ScanPageStatus.READ} == {ScanPageStatus.DUPLICATE}
    assert "Duplicate of a page already read: " in "\n".join(outputs)
