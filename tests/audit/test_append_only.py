"""The audit trail is append-only, said by the database itself: the service's own connection cannot rewrite it.

Runs on SQLite and, with DATABASE_URL, on PostgreSQL (a trigger on each, migration 0015).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from service.dao import transactional
from service.dao.audit import record_audit, record_print_run
from service.extensions import db
from service.models import AuditEvent, AuditEventObject, Role
from tests.factories import make_staff

SERVICE = Path(__file__).resolve().parents[2] / "service"


@transactional
def _entry() -> int:
    event = record_audit(make_staff(Role.SUPERVISOR).id, "privacy.erased", "caller", 812, fields=["name"])
    db.session.flush()
    return event.id


def _refused(statement) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(statement)
        db.session.commit()
    db.session.rollback()


def test_the_table_refuses_an_update_and_a_delete(app_ctx):
    event_id = _entry()
    _refused(update(AuditEvent).where(AuditEvent.id == event_id).values(action="privacy.viewed"))
    _refused(update(AuditEvent).values(actor_id=None))
    _refused(delete(AuditEvent).where(AuditEvent.id == event_id))
    _refused(delete(AuditEvent))  # a whole-table DELETE too (SQLite's truncate optimisation is off)
    entry = db.session.get(AuditEvent, event_id)
    assert (entry.action, entry.details, entry.entity_id) == ("privacy.erased", {"fields": ["name"]}, 812)


def test_the_orm_cannot_change_or_remove_an_entry_either(app_ctx):
    event = db.session.get(AuditEvent, _entry())
    event.details = {"fields": []}
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).details == {"fields": ["name"]}


def test_the_records_an_entry_is_about_are_append_only_too(app_ctx):
    record_print_run(None, [(7, 300), (8, 100)])
    _refused(update(AuditEventObject).values(entity_id=9))
    _refused(delete(AuditEventObject))
    assert db.session.scalar(select(func.count()).select_from(AuditEventObject)) == 2


def test_emptying_the_whole_table_is_refused(app_ctx):
    # Each database's own way to empty a table at once: PostgreSQL's TRUNCATE (which fires no row trigger,
    # so it has a trigger of its own); SQLite has no TRUNCATE, and its "truncate optimisation" is a DELETE
    # with no WHERE, which the delete trigger must still refuse.
    emptying = "TRUNCATE {} CASCADE" if db.engine.dialect.name == "postgresql" else "DELETE FROM {}"
    _entry()
    record_print_run(None, [(7, 300)])  # an entry naming a batch: a row in audit_event_objects too
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AuditEventObject))
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    for table in ("audit_events", "audit_event_objects"):
        _refused(text(emptying.format(table)))
    assert before and db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_no_screen_or_command_edits_or_deletes_an_entry(app):
    writes = re.compile(
        r"(update|delete)\(\s*AuditEvent|\b(update|delete\s+from|truncate)\s+(table\s+)?audit_event", re.IGNORECASE
    )
    offenders = [
        str(path.relative_to(SERVICE))
        for path in SERVICE.rglob("*.py")
        if writes.search(path.read_text()) and path.name != "audit.py"
    ]
    assert offenders == []
    audit_routes = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("audit.")]
    assert audit_routes and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_routes)


def test_records_named_in_the_details_find_the_entry_too(app_ctx):
    from service.dao.audit import AuditSearch, search_audit

    record_audit(None, "privacy.erased", "caller", 812, requests_cancelled=[17], batches_cancelled=[12])
    record_audit(None, "privacy.linked", "caller", 812, other=900, evidence="same phone number")
    db.session.commit()
    for about, actions in (
        (("print_batch", 12), ["privacy.erased"]),
        (("request", 17), ["privacy.erased"]),
        (("caller", 900), ["privacy.linked"]),
        (("caller", 812), ["privacy.linked", "privacy.erased"]),
    ):
        assert [e.action for e in search_audit(AuditSearch(objects=(about,))).items] == actions
