"""Who did what and when: status changes of requests, and an audit trail of every staff change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.types import UTCDateTime, utcnow


class StatusChange(Model):
    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    actor_label: Mapped[str] = mapped_column(String(120), default="")  # "Phone menu", "Print worker"...
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor = relationship("StaffUser")


class AuditEvent(Model):
    """A record of one staff action. `details` names fields changed, never personal values.

    Append-only: the database refuses UPDATE and DELETE on this table (a trigger on PostgreSQL and SQLite,
    migration 0015), so nothing the service does can rewrite who did what.
    """

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity_type: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    actor = relationship("StaffUser")
    objects: Mapped[list[AuditEventObject]] = relationship(lazy="selectin", order_by="AuditEventObject.entity_id")


class AuditEventObject(Model):
    """A further record an audit entry is about, beside its own: the print batches one print run made.

    Append-only like its entry. The audit trail's object filter finds an entry by these too.
    """

    __tablename__ = "audit_event_objects"
    __table_args__ = (Index("ix_audit_event_objects_entity", "entity_type", "entity_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id"), primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
