"""Logging a request writes every row the ORM used to (its caller, call, first status, copies and audit entry),
with every default filled in, in one statement on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from service.dao.calls import NewCall, log_call
from service.dao.request_inserts import AUDIT_EVENTS, CALLERS, CALLS, PACKS, REQUESTS, STATUS_CHANGES
from service.extensions import db
from service.models import (
    AuditEvent,
    Call,
    CallChannel,
    CallOutcome,
    Pack,
    PaperRequest,
    PrintFormat,
    RequestStatus,
    StatusChange,
)
from tests.factories import make_consultation, make_request, make_staff


@pytest.fixture
def statements():
    """The SQL statements sent while the test runs (their first words)."""
    sent: list[str] = []

    def note(connection, cursor, statement, parameters, context, executemany) -> None:
        sent.append(" ".join(statement.split()[:3]))

    event.listen(db.engine, "before_cursor_execute", note)
    yield sent
    event.remove(db.engine, "before_cursor_execute", note)


def _row(table, row_id: int) -> dict:
    return dict(db.session.execute(select(table).where(table.c.id == row_id)).mappings().one())


def _defaulted_columns_left_empty(table, row: dict) -> list[str]:
    """Columns the model gives a Python-side default that the row holds no value for."""
    return [c.name for c in table.columns if c.default is not None and not c.primary_key and row[c.name] is None]


def test_a_logged_request_has_its_caller_call_history_copies_and_audit_entry(app_ctx):
    handler = make_staff()
    consultation = make_consultation()
    request = make_request(consultation, handler, name="Siân O'Brien", copies=3, phone="+441514960000")
    db.session.commit()
    db.session.expire_all()

    request = db.session.get_one(PaperRequest, request.id)
    assert request.status == RequestStatus.WAITING_FOR_PACK
    assert request.created_by_id == handler.id and request.created_at == request.updated_at
    assert (request.caller.name, request.caller.name_key, request.caller.phone) == (
        "Siân O'Brien",
        "sian obrien",
        "+441514960000",
    )
    call = db.session.get_one(Call, request.call_id)  # every request came from a call, logged with it
    assert (call.caller_id, call.handler_id, call.channel, call.outcome) == (
        request.caller_id,
        handler.id,
        CallChannel.HANDLER,
        CallOutcome.PAPER_COPY,
    )
    assert call.started_at == request.created_at and call.menu_answers == {}
    assert [(p.copy_number, p.print_round, p.cancel_reason) for p in request.packs] == [
        (1, 1, ""),
        (2, 1, ""),
        (3, 1, ""),
    ]
    assert len({p.reference for p in request.packs}) == 3
    history = db.session.scalars(select(StatusChange).where(StatusChange.request_id == request.id)).all()
    assert [(h.from_status, h.to_status, h.actor_id, h.actor_label) for h in history] == [
        (None, "waiting_for_pack", handler.id, handler.display_name)
    ]
    query = select(AuditEvent).where(AuditEvent.entity_type == "request", AuditEvent.entity_id == request.id)
    audit = db.session.scalars(query).one()
    assert (audit.action, audit.entity_type, audit.actor_id) == ("request.created", "request", handler.id)
    assert audit.details == {"format": "standard", "copies": 3, "duplicate": False, "late": False}

    rows = [
        (CALLERS, request.caller_id),
        (CALLS, request.call_id),
        (REQUESTS, request.id),
        (STATUS_CHANGES, history[0].id),
        (AUDIT_EVENTS, audit.id),
        *((PACKS, pack.id) for pack in request.packs),
    ]
    for table, row_id in rows:
        assert _defaulted_columns_left_empty(table, _row(table, row_id)) == [], table.name


def test_a_request_made_during_a_logged_call_belongs_to_that_call(app_ctx):
    consultation = make_consultation()
    handler = make_staff()
    calls_before = db.session.scalar(select(func.count()).select_from(Call))
    call = log_call(NewCall(consultation_id=consultation.id, outcome=CallOutcome.PAPER_COPY), handler.id)
    request = make_request(consultation, handler, call_id=call.id, print_format=PrintFormat.LARGE_PRINT)
    assert request.call_id == call.id
    assert db.session.scalar(select(func.count()).select_from(Call)) == calls_before + 1


def test_a_request_is_one_statement_on_postgresql(app_ctx, statements):
    consultation = make_consultation()
    make_request(consultation)  # the statement is built on first use
    statements.clear()
    make_request(consultation, copies=2)
    writes = [s for s in statements if not s.startswith("SELECT")]  # (the test's factory reads the request back)
    if db.engine.dialect.name == "postgresql":
        # Caller, call, request, first status, both copies and the audit entry: one round trip.
        assert writes == ["WITH new_caller AS"]
    else:
        assert writes == [
            "INSERT INTO callers",
            "INSERT INTO calls",
            "INSERT INTO requests",
            "INSERT INTO status_changes",
            "INSERT INTO packs",
            "INSERT INTO packs",
            "INSERT INTO audit_events",
        ]
    assert db.session.scalar(select(func.count()).select_from(Pack)) == 3
