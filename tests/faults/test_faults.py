"""The fault suite (`pytest -m faults`; CI runs it on PostgreSQL and a Redis server): real worker processes
and gunicorn's web processes killed with `kill -9` (one web process, and the whole server), Redis flushed
and restarted or cut off, database connections terminated, at random points of rendering, batch building,
cancelling, posting and of a handler saving requests through the form. The seed is printed for a replay."""

from __future__ import annotations

import os
import random

import pytest

from benchmarks.environment import Workspace
from benchmarks.faults import run_faults

pytestmark = pytest.mark.faults


def test_faults_at_random_points_lose_nothing_and_post_nothing_twice(database_url, redis_url, monkeypatch):
    seed = int(os.environ.get("FAULT_SEED") or random.SystemRandom().randrange(1_000_000))
    print(f"fault seed {seed} (replay with FAULT_SEED={seed})")
    instance = os.environ.get("SURVEY_LINE_INSTANCE")
    workspace = Workspace.open()
    if instance is None:
        monkeypatch.delenv("SURVEY_LINE_INSTANCE", raising=False)
    restart = None
    if os.environ.get("REDIS_URL"):  # a Redis server: its clients are cut off rather than it restarted
        workspace.redis_url = redis_url
    else:

        def restart() -> None:
            from service.redis_server import start_embedded_redis, stop_embedded_redis

            port = int(workspace.redis_url.rsplit(":", 1)[1].split("/")[0])
            stop_embedded_redis(workspace._redis_server, save=True)
            workspace._redis_server, _ = start_embedded_redis(workspace.root / "redis", port=port)

    try:
        kind = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
        database = workspace.database(kind, "faults")
        workspace.flush_redis()
        report = run_faults(
            workspace, database, requests=60, faults=8, seed=seed, redis_restart=restart, web_requests=15
        )
    finally:
        workspace.close()
    print("\n".join(report.lines()))
    assert report.without_pack == 0, report.lines()
    assert report.in_two_batches == 0, report.lines()
    assert report.in_no_batch == 0, report.lines()
    assert report.page_count_mismatches == 0, report.lines()
    assert report.workers_exited == 0, report.lines()
    kinds = {fault.kind for fault in report.faults}
    assert {"kill worker", "kill web process", "kill web server"} <= kinds, report.lines()
    # Every request the handler was told was saved is there, once; a resent POST saved nothing twice.
    assert report.web.saved and report.web_missing == 0 and report.web_saved_twice == 0, report.lines()
    assert report.web.unanswered == 0 and not report.web.refused, report.lines()
    # A request whose database or Redis connection is cut mid-flight answers 500 (sent again with its form key,
    # it is saved once: asserted above); after any other fault a 5xx is a defect.
    cut_mid_request = {"cut database connections", "cut Redis clients off"}
    assert set(report.server_errors_after) <= cut_mid_request, (report.server_errors_after, report.lines())
    assert report.worst_recovery is not None and report.settled_after_last_fault is not None, report.lines()
    assert report.settled_after_last_fault < 120, report.lines()
