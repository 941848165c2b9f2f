"""A menu step's commit does not wait for the disk on PostgreSQL; the commit that makes the caller's request does."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from service.extensions import db
from tests.ivr.conftest import all_requests, give_address, said, spoken_reference


@pytest.fixture
def commits():
    """(how the commit treats the disk, requests in the database as it commits) for every commit meanwhile."""
    seen: list[tuple[str, int]] = []

    def note(session) -> None:
        if db.engine.dialect.name == "postgresql":
            setting = session.execute(text("SELECT current_setting('synchronous_commit')")).scalar()
        else:
            setting = {0: "off", 1: "normal", 2: "full"}[session.execute(text("PRAGMA synchronous")).scalar()]
        seen.append((setting, session.execute(text("SELECT count(*) FROM requests")).scalar()))

    event.listen(Session, "before_commit", note)
    yield seen
    event.remove(Session, "before_commit", note)


def test_only_the_commit_that_makes_the_request_waits_for_the_disk(ring, consultation, commits):
    call = ring()
    call.press("1")
    give_address(call)
    call.press("1")  # the address is right
    steps_before = len(commits)
    call.press("1")  # standard print: the request is made and its reference read out
    (request,) = all_requests()
    assert spoken_reference(said(call)) == request.first_reference

    made = [n for n, (_, requests) in enumerate(commits) if requests == 1]
    assert made and made[0] >= steps_before, "the request is made at the print-size step"
    the_request = commits[made[0]][0]
    steps = {setting for setting, requests in commits[: made[0]] if requests == 0}
    if db.engine.dialect.name == "postgresql":
        assert the_request == "on"  # the caller is about to hear its reference
        assert steps == {"off"}  # every commit before it: the call's start, the name, the postcode, the address...
    else:
        assert {the_request} | steps == {"normal"}  # SQLite's one setting for every commit
