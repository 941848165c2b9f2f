"""Render jobs: queued after the commit, idempotent, failed with a reason when they give up."""

from __future__ import annotations

import hashlib
import io
import time

import redis
from pypdf import PdfReader
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from service import storage
from service.dao.requests import get_status_history
from service.extensions import db
from service.models import Pack, PaperRequest, RequestStatus, Role
from service.queues import PACKS_QUEUE, queue
from service.queues.enqueue import HANDOVER_GRACE, render_job_id
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request
from tests.worker_processes import WorkerProcess
from workers.jobs import render_request_packs, sweep


def test_a_logged_request_queues_its_render_after_the_commit(app_ctx):
    request = make_request(make_consultation(), copies=2)
    connection = redis.Redis.from_url(app_ctx.config["REDIS_URL"])
    job = Job.fetch(render_job_id(request.id), connection=connection, serializer=JSONSerializer)
    assert job.func_name == "workers.jobs.render_request_packs" and job.args == [request.id]
    assert job.get_status() == "queued"


def test_the_render_job_makes_each_copy_once_and_is_safe_to_run_twice(app_ctx):
    request = make_request(make_consultation(), name="Zoë Nguyễn", copies=2)
    assert render_request_packs(request.id) == "rendered"
    db.session.expire_all()
    packs = db.session.scalars(select(Pack).where(Pack.request_id == request.id).order_by(Pack.copy_number)).all()
    first = [(p.reference, p.file_key) for p in packs]
    for pack in packs:
        pdf = storage.path_for(pack.file_key).read_bytes()
        assert hashlib.sha256(pdf).hexdigest() == pack.file_sha256 and len(pdf) == pack.file_size
        assert pack.file_key == f"packs/{pack.file_sha256[:2]}/{pack.file_sha256}.pdf"  # named by its bytes
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "Zoë Nguyễn" in text and pack.page_count == 8
    assert render_request_packs(request.id) == "nothing to do"
    db.session.expire_all()
    again = db.session.scalars(select(Pack).where(Pack.request_id == request.id).order_by(Pack.copy_number)).all()
    assert [(p.reference, p.file_key) for p in again] == first
    assert db.session.scalar(select(func.count(Pack.id)).where(Pack.request_id == request.id)) == 2
    db.session.refresh(request)
    assert request.status == RequestStatus.PACK_READY
    # The request's history says who made it ready, once, however often the job ran.
    moves = [(c.from_status, c.to_status, c.actor_label) for c in get_status_history(request.id)]
    assert moves.count(("waiting_for_pack", "pack_ready", "Print worker")) == 1
    assert moves[-1] == ("waiting_for_pack", "pack_ready", "Print worker")


def test_when_retries_run_out_the_request_shows_failed_with_the_reason_and_a_supervisor_retries(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        broken = make_consultation(questionnaire_file="no-such-consultation/questionnaire.yaml")
        request_id = make_request(broken).id
        try:
            render_request_packs(request_id)  # outside a worker there are no retries left
        except FileNotFoundError:
            pass
        else:
            raise AssertionError("the render should have failed")
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert "Pack failed" in page and "FileNotFoundError" in page
    token = csrf_token(client, f"/requests/{request_id}")
    client.post(f"/requests/{request_id}/retry-pack", data={"csrf_token": token})
    with app.app_context():
        connection = redis.Redis.from_url(app.config["REDIS_URL"])
        assert (
            Job.fetch(render_job_id(request_id), connection=connection, serializer=JSONSerializer).get_status()
            == "queued"
        )
    assert "Waiting for pack" in client.get(f"/requests/{request_id}").get_data(as_text=True)


def test_the_sweep_requeues_renders_lost_when_redis_was_flushed(app_ctx):
    request = make_request(make_consultation())
    connection = redis.Redis.from_url(app_ctx.config["REDIS_URL"])
    connection.flushdb()
    assert sweep() == {"renders": 1, "builds": 0, "texts": 0, "temporary_files": 0, "unnamed_pack_files": 0}
    assert (
        Job.fetch(render_job_id(request.id), connection=connection, serializer=JSONSerializer).get_status() == "queued"
    )
    assert sweep() == {
        "renders": 0,
        "builds": 0,
        "texts": 0,
        "temporary_files": 0,
        "unnamed_pack_files": 0,
    }  # a live job is not queued twice


def test_a_render_lost_on_its_way_to_a_worker_is_queued_again_and_made(app_ctx, database_url, file_store, tmp_path):
    """rq moves a job's id to a hand-over list before the worker marks it started; a Redis restart between the
    two (CI caught it in the Redis restart test) left a job saying "queued" that no worker would ever take."""
    connection = redis.Redis.from_url(app_ctx.config["REDIS_URL"])
    connection.flushdb()
    request = make_request(make_consultation())
    packs = queue(PACKS_QUEUE, connection)
    # A worker takes the job, and Redis goes away before the worker can say it started it.
    assert connection.lmove(packs.key, packs.intermediate_queue_key) == render_job_id(request.id).encode()
    assert Job.fetch(render_job_id(request.id), connection=connection, serializer=JSONSerializer).get_status() == (
        "queued"
    )
    assert sweep()["renders"] == 0  # so far it may be a worker starting it
    time.sleep(HANDOVER_GRACE.total_seconds() + 0.5)
    assert sweep()["renders"] == 1  # still not started: lost, and queued again
    assert packs.job_ids == [render_job_id(request.id)]
    assert connection.lrange(packs.intermediate_queue_key, 0, -1) == []
    worker = WorkerProcess(database_url, app_ctx.config["REDIS_URL"], file_store, tmp_path / "worker.log", "--burst")
    assert worker.wait(120) == 0, (tmp_path / "worker.log").read_text()[-3000:]
    db.session.expire_all()
    assert db.session.get(PaperRequest, request.id).status == RequestStatus.PACK_READY
    assert db.session.scalar(select(func.count(Pack.id)).where(Pack.request_id == request.id)) == 1


def test_staff_preview_and_download_a_pack_from_the_request_page(app, client, staff):
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        request = make_request(make_consultation(), name="Siân Roberts")
        request_id, pack_id, reference = request.id, request.packs[0].id, request.packs[0].reference
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert f"/requests/{request_id}/packs/{pack_id}.pdf" in page
    preview = client.get(f"/requests/{request_id}/packs/{pack_id}.pdf")
    assert preview.mimetype == "application/pdf" and preview.headers["Content-Disposition"].startswith("inline")
    first_page = PdfReader(io.BytesIO(preview.data)).pages[0].extract_text()
    assert "Siân Roberts" in first_page and f"{reference[:3]} {reference[3:6]} {reference[6:]}" in first_page
    download = client.get(f"/requests/{request_id}/packs/{pack_id}.pdf?download=1")
    assert download.headers["Content-Disposition"] == f"attachment; filename=pack-{reference}.pdf"
    assert preview.headers["Cache-Control"] == download.headers["Cache-Control"] == "no-store"
    with app.app_context():  # once the worker has made it, the stored file itself is sent, byte for byte
        assert render_request_packs(request_id) == "rendered"
        stored = storage.path_for(db.session.get(Pack, pack_id).file_key).read_bytes()
    with client.get(f"/requests/{request_id}/packs/{pack_id}.pdf?download=1") as streamed:
        assert streamed.data == stored and streamed.headers["Cache-Control"] == "no-store"
        assert streamed.headers["Content-Disposition"] == f"attachment; filename=pack-{reference}.pdf"


def test_an_address_saved_before_the_postal_rules_goes_to_the_address_check_not_pack_failed(app_ctx):
    # Made as old data was: straight into the database, never through the form's postal rules.
    request = make_request(make_consultation(), name="=HYPERLINK(1)", address_line_1="(Basement) 12 Canning St")
    assert render_request_packs(request.id) == "needs address check"
    db.session.expire_all()
    request = db.session.get(type(request), request.id)
    assert request.status == RequestStatus.NEEDS_ADDRESS_CHECK
    assert all(pack.file_key is None for pack in request.packs)
    notes = [change.note for change in get_status_history(request.id)]
    assert any("line 1" in n and "line 2" in n and "Check the address" in n for n in notes), notes
