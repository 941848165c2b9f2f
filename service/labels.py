"""Human labels for what staff see: every audit action, record type and field name, and the coded values in
them (statuses, formats, outcomes, roles), in one table used by the audit trail, request history and the
staff-facing CSV reports. Codes stay in the database; people read words.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime

from service.models import BatchStatus, CallOutcome, KeyingMode, PrintFormat, RequestStatus, ReturnStatus, Role

ACTIONS = {
    "audit.exported": "Downloaded the audit trail",
    "call.logged": "Logged a call",
    "call.callback_done": "Marked a callback done",
    "call.callback_call_started": "Rang a caller back with one click",
    "consultation.created": "Added a consultation",
    "consultation.updated": "Updated a consultation",
    "consultation.keying_mode_set": "Set how returns are keyed",
    "job.retried": "Retried a failed job",
    "packs.blank_created": "Made blank packs",
    "phone_response.checked": "Checked answers given by phone",
    "print_run.done": "Ran a print run",
    "print_batch.created": "Made a print batch",
    "print_batch.sent_to_print": "Marked a print batch as sent to print",
    "print_batch.sent_to_print_undone": "Undid sent to print",
    "print_batch.posted": "Marked a print batch as posted",
    "print_batch.cancelled": "Cancelled a print batch",
    "print_batch.withdrawn_request": "Took a corrected request out of a print batch",
    "pack.cancelled": "Cancelled one copy",
    "privacy.searched": "Searched personal data",
    "privacy.viewed": "Viewed personal data",
    "privacy.exported": "Exported personal data (subject access)",
    "privacy.erased": "Erased personal data",
    "privacy.linked": "Confirmed two records are the same person",
    "privacy.split": "Marked two records as not the same person",
    "request.created": "Logged a request",
    "request.status_changed": "Changed a request's status",
    "request.address_checked": "Checked an address",
    "request.address_not_confirmed": "Could not confirm an address",
    "request.corrected": "Corrected a request",
    "request.cancelled": "Cancelled a request",
    "retention.erased": "Erased personal data after the retention period",
    "return.received": "Received a returned form",
    "return.keyed": "Keyed a return",
    "return.status_changed": "Changed a return's status",
    "return.adjudicated": "Settled a return's disagreements",
    "returns.exported": "Exported responses",
    "scan.uploaded": "Uploaded scanned returns",
    "scan.page_read": "Read a scanned page into a return",
    "scan.marks_decided": "Decided boxes or written answers from a scan",
    "scan.page_discarded": "Deleted a scanned page nobody could place",
    "retention.scans_released": "Deleted unplaced scanned pages after the retention period",
    "staff.created": "Added a member of staff",
    "text.requested": "Asked for a text with the reference",
    "staff.signed_out_everywhere": "Signed a member of staff out everywhere",
    "staff.unlocked": "Unlocked a staff account",
    "staff.password_set": "Set a password",
    "staff.phone_set": "Set their own phone number",
    "staff.signed_in": "Signed in",
    "staff.signed_out": "Signed out",
    "staff.sign_in_failed": "Failed sign-in attempt",
}

RECORDS = {
    "call": "Call",
    "caller": "Person",
    "consultation": "Consultation",
    "job": "Job",
    "phone_response": "Phone response",
    "print_batch": "Print batch",
    "request": "Request",
    "return": "Return",
    "scan": "Scan",
    "staff_user": "Staff member",
}

FIELDS = {
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "address_line_3": "Address line 3",
    "batches": "Print batches",
    "batches_cancelled": "Print batches cancelled",
    "by_phone": "By a call from the callback list",
    "callers": "People",
    "changed": "Changed",
    "copies": "Copies",
    "copy": "Copy",
    "count": "Number",
    "decisions": "Decisions",
    "duplicate": "Repeat request",
    "evidence": "Evidence",
    "duplicate_of": "Duplicate of return",
    "entry": "Entry",
    "fields": "Searched by",
    "format": "Format",
    "found": "Found",
    "from_status": "From",
    "job": "Job",
    "keying_mode": "Keying",
    "late": "Late",
    "marks": "Boxes and written answers",
    "page": "Page",
    "pages": "Pages",
    "scan": "Scan",
    "source": "Entered from",
    "local_authority": "Local authority",
    "locked": "Account locked",
    "name": "Name",
    "other": "Other record",
    "outcome": "Outcome",
    "packs": "Packs",
    "phone": "Phone number",
    "postcode": "Postcode",
    "posted_on": "Posted on",
    "print_files_deleted": "Print files deleted",
    "questions": "Questions",
    "reason": "Reason",
    "recordings": "Recordings",
    "files": "Files",
    "records": "Records",
    "referenced": "Had a reference",
    "removed": "Removed",
    "request_id": "Request",
    "requests_cancelled": "Requests cancelled",
    "role": "Role",
    "rows": "Rows",
    "slug": "Consultation",
    "source_address": "From address",
    "limited": "Stopped by the sign-in limits (password not checked)",
    "to_status": "To",
    "town": "Town or city",
    "verification_sample_percent": "Verification sample (%)",
    # Columns of the dashboard's CSV reports
    "date": "Date",
    "requests": "Requests",
    "returns": "Returns",
    "total": "Total",
}

# Coded values, by the field that holds them; a field not listed shows its value as it is.
VALUE_TYPES: dict[str, tuple[type[enum.Enum], ...]] = {
    "from_status": (RequestStatus, ReturnStatus, BatchStatus),
    "to_status": (RequestStatus, ReturnStatus, BatchStatus),
    "format": (PrintFormat,),
    "outcome": (CallOutcome,),
    "role": (Role,),
    "keying_mode": (KeyingMode,),
}
CHOSEN_FROM = {"entry_1": "entry 1", "entry_2": "entry 2", "typed": "typed"}


def action_label(action: str) -> str:
    return ACTIONS.get(action) or _readable(action.split(".")[-1])


def record_label(entity_type: str | None) -> str:
    return RECORDS.get(entity_type or "", "") or _readable(entity_type or "")


def field_label(name: str) -> str:
    return FIELDS.get(name) or _readable(name)


def value_label(name: str, value: object, entity_type: str | None = None) -> str:
    """A coded value in words: a status by its label, a list of field names by their labels, yes or no."""
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {CHOSEN_FROM.get(str(v), v)}" for k, v in value.items())
    if name in ("changed", "fields") and isinstance(value, str):
        value = [part for part in value.split(",") if part]  # stored joined by some screens
    if isinstance(value, list | tuple):
        named = name in ("changed", "fields")  # lists of field names
        return ", ".join(field_label(str(v)).lower() if named else str(v) for v in value)
    if isinstance(value, date | datetime):
        return value.strftime("%-d %B %Y")
    for kind in _kinds_for(name, entity_type):
        try:
            return kind(value).label  # type: ignore[attr-defined]
        except ValueError:
            continue
    if name == "posted_on":
        try:
            return date.fromisoformat(str(value)).strftime("%-d %B %Y")
        except ValueError:
            pass
    return str(value)


def _kinds_for(name: str, entity_type: str | None) -> Iterable[type[enum.Enum]]:
    kinds = VALUE_TYPES.get(name, ())
    preferred = {"request": RequestStatus, "return": ReturnStatus, "print_batch": BatchStatus}.get(entity_type or "")
    return sorted(kinds, key=lambda k: k is not preferred)


def details_label(details: dict, entity_type: str | None = None) -> str:
    """An audit entry's details as a sentence of labelled values: "From: Keyed once; To: In dispute"."""
    return "; ".join(f"{field_label(k)}: {value_label(k, v, entity_type)}" for k, v in (details or {}).items())


def _readable(code: str) -> str:
    return code.replace("_", " ").replace(".", " ").strip().capitalize()
