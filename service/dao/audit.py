"""The audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent


def record_audit(
    actor_id: int | None, action: str, entity_type: str = "", entity_id: int | None = None, **details: Any
) -> AuditEvent:
    """Add an audit record to the current transaction (details name fields, never personal values)."""
    event = AuditEvent(actor_id=actor_id, action=action, entity_type=entity_type, entity_id=entity_id, details=details)
    db.session.add(event)
    return event


def get_audit_events(
    entity_type: str | None = None, entity_id: int | None = None, limit: int = 200
) -> list[AuditEvent]:
    """Return recent audit records, newest first, optionally for one entity."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if entity_type:
        query = query.where(AuditEvent.entity_type == entity_type)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    return list(db.session.scalars(query))
