"""Typed SQLAlchemy models. Personal data lives in `Caller` only, apart from answers and counts."""

from service.models.audit import AuditEvent, StatusChange
from service.models.callers import Caller
from service.models.calls import Call, CallChannel, CallOutcome
from service.models.consultations import Consultation, KeyingMode
from service.models.printing import BatchItem, BatchStatus, PrintBatch
from service.models.requests import Pack, PaperRequest, PrintFormat, RequestStatus
from service.models.returns import Adjudication, Keying, Return, ReturnStatus
from service.models.staff import Role, StaffUser

__all__ = [
    "BatchItem",
    "BatchStatus",
    "PrintBatch",
    "Adjudication",
    "AuditEvent",
    "Call",
    "CallChannel",
    "CallOutcome",
    "Caller",
    "Consultation",
    "Keying",
    "KeyingMode",
    "Pack",
    "PaperRequest",
    "PrintFormat",
    "RequestStatus",
    "Return",
    "ReturnStatus",
    "Role",
    "StaffUser",
    "StatusChange",
]
