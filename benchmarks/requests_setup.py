"""Putting requests in a benchmark database: one at a time through the real dao, or 100,000 at once in bulk."""

from __future__ import annotations

import time
from datetime import timedelta

from benchmarks.people import Person, people


def create_requests(consultation_id: int, callers: list[Person]) -> list[int]:
    """Log one request per caller exactly as a handler's form does (`build_new_request` + `create_request`).

    The id is read before the commit, as the form's `make_once` does: read after it, from the expired row, it
    cost a query the form never makes.
    """
    from service.dao import transactional
    from service.dao.consultations import get_consultation
    from service.dao.requests import create_request
    from service.models import PrintFormat
    from service.models.types import utcnow
    from service.requests.intake import build_new_request

    log_request = transactional(lambda details: create_request(details, None, "Benchmark").request_id)
    consultation = get_consultation(consultation_id)
    ids = []
    for caller in callers:
        details = build_new_request(
            consultation,
            now=utcnow(),
            working_days_allowed=10,
            name=caller.name,
            address_line_1=caller.address_line_1,
            town=caller.town,
            postcode=caller.postcode,
            phone=caller.phone,
            print_format=PrintFormat.STANDARD,
        )
        ids.append(log_request(details))
    return ids


def bulk_insert_requests(consultation_id: int, count: int, batch: int = 5000) -> float:
    """Insert `count` posted requests (caller, request, pack, first status) fast; return the seconds taken."""
    import random

    from sqlalchemy import insert

    from service.extensions import db
    from service.geo.postcode_directory import local_authority_for
    from service.geo.postcodes import parse_postcode
    from service.models import (
        Call,
        CallChannel,
        Caller,
        CallOutcome,
        Consultation,
        Pack,
        PaperRequest,
        PrintFormat,
        RequestStatus,
        StatusChange,
    )
    from service.models.types import utcnow
    from service.reference import new_reference
    from service.text import match_key

    started = time.perf_counter()
    rng = random.Random(100)
    now = utcnow()
    area = db.session.get_one(Consultation, consultation_id).area
    references: set[str] = set()
    for start in range(0, count, batch):
        crowd = people(min(batch, count - start), seed=1000 + start, start=start)
        created = [now - timedelta(minutes=rng.randrange(60 * 24 * 60)) for _ in crowd]
        caller_ids = db.session.scalars(
            insert(Caller).returning(Caller.id, sort_by_parameter_order=True),
            [
                {
                    "name": p.name,
                    "address_line_1": p.address_line_1,
                    "town": p.town,
                    "postcode": p.postcode,
                    "phone": p.phone,
                    "name_key": match_key(p.name),
                    "address_key": match_key(p.address_line_1),
                    "created_at": at,
                }
                for p, at in zip(crowd, created, strict=True)
            ],
        ).all()
        call_ids = db.session.scalars(
            insert(Call).returning(Call.id, sort_by_parameter_order=True),
            [
                {
                    "consultation_id": consultation_id,
                    "channel": CallChannel.HANDLER,
                    "caller_id": caller_id,
                    "started_at": at,
                    "outcome": CallOutcome.PAPER_COPY,
                }
                for caller_id, at in zip(caller_ids, created, strict=True)
            ],
        ).all()
        request_ids = db.session.scalars(
            insert(PaperRequest).returning(PaperRequest.id, sort_by_parameter_order=True),
            [
                {
                    "consultation_id": consultation_id,
                    "caller_id": caller_id,
                    "call_id": call_id,
                    "channel": CallChannel.HANDLER,
                    "format": PrintFormat.LARGE_PRINT if i % 9 == 0 else PrintFormat.STANDARD,
                    "status": RequestStatus.POSTED,
                    "local_authority": local_authority_for(parse_postcode(p.postcode), area),
                    "created_at": at,
                    "updated_at": at,
                }
                for i, (p, caller_id, call_id, at) in enumerate(zip(crowd, caller_ids, call_ids, created, strict=True))
            ],
        ).all()
        packs = []
        for request_id, at in zip(request_ids, created, strict=True):
            reference = new_reference()
            while reference in references:
                reference = new_reference()
            references.add(reference)
            packs.append(
                {
                    "reference": reference,
                    "consultation_id": consultation_id,
                    "request_id": request_id,
                    "created_at": at,
                    "page_count": 8,
                    "rendered_at": at,
                }
            )
        db.session.execute(insert(Pack), packs)
        db.session.execute(
            insert(StatusChange),
            [
                {"request_id": r, "from_status": None, "to_status": RequestStatus.WAITING_FOR_PACK.value, "at": at}
                for r, at in zip(request_ids, created, strict=True)
            ],
        )
        db.session.commit()
    return time.perf_counter() - started


def settle_database() -> float:
    """Do now the work a bulk load leaves the database to do later; return the seconds it took.

    Loading 100,000 requests in a minute or two leaves PostgreSQL an autovacuum of every table it touched and
    a checkpoint of the pages it dirtied, and SQLite a write-ahead log to fold back in. Left to run in the
    background they land in whatever is measured next: a phone-menu run once saw /healthz itself at 190 ms
    p99 on PostgreSQL while they did. A database that grew to this size over weeks of calls has long done
    them, so they are done here, before anything is timed.
    """
    from sqlalchemy import text

    from service.extensions import db

    started = time.perf_counter()
    db.session.remove()
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text("VACUUM (ANALYZE)"))  # also the statistics the planner needs
            connection.execute(text("CHECKPOINT"))
        else:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            connection.commit()
    return time.perf_counter() - started
