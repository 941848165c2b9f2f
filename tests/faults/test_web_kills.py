"""gunicorn's web processes killed with `kill -9` while a call handler saves requests through the real form:
a POST that got no answer (cut off, or its answer lost on the way back) is sent again with the same one-time
form key, as a browser retries it, and every
request the handler was told was saved is there once and gets its pack."""

from __future__ import annotations

import os
import random
import threading
import time

import pytest
from sqlalchemy import func, select

from benchmarks.environment import Workspace, bench_app, migrate_and_seed
from benchmarks.fault_web import HandlerAtTheForm, WebServer, web_counts
from benchmarks.request_form import add_handler
from service.extensions import db
from service.models import Pack, PaperRequest
from tests.worker_processes import WorkerProcess, wait_for

pytestmark = pytest.mark.faults

CALLERS = 12


@pytest.fixture
def workspace(redis_url, monkeypatch):
    instance = os.environ.get("SURVEY_LINE_INSTANCE")
    workspace = Workspace.open()  # sets SURVEY_LINE_INSTANCE to a folder of its own
    if instance is None:
        monkeypatch.delenv("SURVEY_LINE_INSTANCE", raising=False)
    if os.environ.get("REDIS_URL"):
        workspace.redis_url = redis_url
    workspace.flush_redis()
    yield workspace
    workspace.close()


def test_posts_cut_off_by_killing_the_web_process_save_each_request_once_with_its_pack(workspace, database_url):
    seed = int(os.environ.get("FAULT_SEED") or random.SystemRandom().randrange(1_000_000))
    print(f"fault seed {seed} (replay with FAULT_SEED={seed})")
    rng = random.Random(seed)
    database = workspace.database("PostgreSQL" if database_url.startswith("postgresql") else "SQLite", "web")
    app = bench_app(workspace, database)
    consultation_id = migrate_and_seed(app)
    with app.app_context():
        add_handler()
    web = WebServer(workspace, database, processes=1)  # one process: each kill cuts off the POST in hand
    handler = HandlerAtTheForm(web, consultation_id, CALLERS, seed)
    worker = None
    try:
        handler.sign_in()
        for caller in handler.callers:
            form = handler.fill_in(caller)
            assert form is not None
            # Every third answer is lost on the way back, after the request was saved: sent again, deterministically.
            lost = len(handler.outcome.callers) % 3 == 0
            post = threading.Thread(
                target=handler.send_until_answered, args=(caller, form), kwargs={"first_answer_lost": lost}
            )
            post.start()
            time.sleep(rng.uniform(0.0, 0.06))  # somewhere in the save: before, during or after its commit
            web.kill_worker(rng)
            post.join(300)
        # The renders queued by POSTs cut off after their commit are found by the worker's sweep.
        worker = WorkerProcess(
            database.env_url, workspace.redis_url, workspace.folder("files"), workspace.root / "w.log"
        )
        with app.app_context():

            def all_rendered() -> bool:
                db.session.rollback()
                waiting = select(func.count(Pack.id)).where(Pack.request_id.is_not(None), Pack.rendered_at.is_(None))
                return db.session.scalar(waiting) == 0

            wait_for(all_rendered, 180, "every saved request's pack", poll=0.5)
            missing, twice = web_counts(handler.outcome)
            saved = db.session.scalar(select(func.count(PaperRequest.id)))
    finally:
        if worker is not None:
            worker.kill()
        web.stop()
    outcome = handler.outcome
    print(f"{outcome.resent} POSTs sent again, {outcome.answers_lost} of them after a lost answer")
    assert outcome.answers_lost == CALLERS // 3
    assert outcome.resent > outcome.answers_lost, "no POST was cut off by a kill: the test did not test anything"
    assert outcome.unanswered == 0 and outcome.server_errors == 0 and not outcome.refused
    assert len(outcome.saved) == CALLERS
    assert missing == 0 and twice == 0
    assert saved == CALLERS
