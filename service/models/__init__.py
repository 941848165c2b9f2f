"""Typed SQLAlchemy models. Personal data lives in `Caller` only, apart from answers and counts."""

from service.models.accessible_files import AccessibleFile
from service.models.audit import AuditEvent, AuditEventObject, StatusChange
from service.models.callback_calls import CALLBACK_CALL_STATES, CallbackCall, CallbackCallStatus
from service.models.callers import Caller, CallerLink, LinkDecision
from service.models.calls import Call, CallChannel, CallOutcome
from service.models.consultations import Consultation, KeyingMode
from service.models.deliveries import Delivery, DeliveryStatus, FileDelivery
from service.models.form_keys import FormKey
from service.models.phone_responses import PHONE_RESPONSE_STATES, PhoneRecording, PhoneResponse, PhoneResponseStatus
from service.models.printing import BATCH_STATES, BatchItem, BatchStatus, PrintBatch
from service.models.requests import (
    MADE_WITH_TOOLS,
    REQUEST_STATES,
    Pack,
    PaperRequest,
    PrintFormat,
    RequestStatus,
    first_status,
)
from service.models.returns import RETURN_STATES, Adjudication, Keying, Return, ReturnStatus
from service.models.scans import Scan, ScanMark, ScanPage, ScanPageStatus, ScanStatus
from service.models.staff import Role, StaffUser
from service.models.states import IllegalTransition, StateMachine
from service.models.texts import TEXT_STATES, ReferenceText, TextStatus

__all__ = [
    "MADE_WITH_TOOLS",
    "AccessibleFile",
    "BATCH_STATES",
    "PHONE_RESPONSE_STATES",
    "REQUEST_STATES",
    "RETURN_STATES",
    "IllegalTransition",
    "StateMachine",
    "first_status",
    "BatchItem",
    "BatchStatus",
    "PrintBatch",
    "Adjudication",
    "AuditEvent",
    "AuditEventObject",
    "Call",
    "CallChannel",
    "CallOutcome",
    "Caller",
    "CallerLink",
    "LinkDecision",
    "Consultation",
    "Delivery",
    "DeliveryStatus",
    "FileDelivery",
    "FormKey",
    "Keying",
    "KeyingMode",
    "Pack",
    "PhoneRecording",
    "PhoneResponse",
    "PhoneResponseStatus",
    "PaperRequest",
    "PrintFormat",
    "RequestStatus",
    "Return",
    "ReturnStatus",
    "Role",
    "Scan",
    "ScanMark",
    "ScanPage",
    "ScanPageStatus",
    "ScanStatus",
    "StaffUser",
    "StatusChange",
    "CALLBACK_CALL_STATES",
    "CallbackCall",
    "CallbackCallStatus",
    "TEXT_STATES",
    "ReferenceText",
    "TextStatus",
]
