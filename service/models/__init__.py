"""Typed SQLAlchemy models. Personal data lives in `Caller` only, apart from answers and counts."""

from service.models.audit import AuditEvent, StatusChange
from service.models.callers import Caller
from service.models.calls import Call, CallChannel, CallOutcome
from service.models.consultations import Consultation
from service.models.requests import Pack, PaperRequest, PrintFormat, RequestStatus
from service.models.staff import Role, StaffUser

__all__ = [
    "AuditEvent",
    "Call",
    "CallChannel",
    "CallOutcome",
    "Caller",
    "Consultation",
    "Pack",
    "PaperRequest",
    "PrintFormat",
    "RequestStatus",
    "Role",
    "StaffUser",
    "StatusChange",
]
