"""Each audit entry as one plain-English sentence: "Erased personal data of caller 812: name, address".

Built from the entry's action, the record it is about and its details; codes stay in the database. An action
without a sentence of its own reads as its label, the record and its labelled details, never a code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from service.dao.audit import consultation_names, first_references, usernames
from service.labels import action_label, details_label, record_label, value_label
from service.models import AuditEvent
from service.models.scans import DISCARD_REASONS
from service.reference import format_reference
from service.words import plural


@dataclass(frozen=True)
class Names:
    """What the trail calls records by, looked up once per page: references, usernames, consultations."""

    references: dict[int, str] = field(default_factory=dict)  # request id -> its first reference
    usernames: dict[int, str] = field(default_factory=dict)  # staff id -> username
    consultations: dict[int, str] = field(default_factory=dict)  # consultation id -> name


def object_name(entity_type: str, entity_id: int | None, names: Names) -> str:
    """A record as the trail names it: "request 482 913 5570", "print batch 12", "account jsmith"."""
    if entity_id is None:
        return record_label(entity_type).lower()
    if entity_type == "request":
        reference = names.references.get(entity_id)
        return f"request {format_reference(reference)}" if reference else f"request {entity_id}"
    if entity_type == "caller":
        return f"caller {entity_id}"
    if entity_type == "staff_user":
        return f"account {names.usernames.get(entity_id, entity_id)}"
    if entity_type == "return":
        return f"return R{entity_id}"
    if entity_type == "consultation":
        return names.consultations.get(entity_id) or f"consultation {entity_id}"
    return f"{record_label(entity_type).lower()} {entity_id}"


def who(event: AuditEvent) -> str:
    """Who did it: the member of staff, or for an entry with none, what did.

    A failed sign-in was made by someone not signed in, never by the account's owner (older entries named
    the owner as the actor: the account is the record it is about, not who did it).
    """
    if event.action == "staff.sign_in_failed":
        return "Someone not signed in"
    if event.actor is not None:
        return f"{event.actor.display_name} ({event.actor.username})"
    return "The service (automatic)"


def source_address(details: dict) -> str:
    """Where a sign-in attempt came from, under whichever name the sign-in code stores it."""
    for key in ("source_address", "remote_address", "ip_address", "ip", "address_from", "from_address"):
        if details.get(key):
            return str(details[key])
    return ""


def _list(details: dict, key: str) -> str:
    return value_label(key, details.get(key) or [])


def _status_change(what: str) -> Callable[[AuditEvent, str, Names], str]:
    def sentence(event: AuditEvent, obj: str, names: Names) -> str:
        kind = event.entity_type
        d = event.details
        return (
            f"Changed the status of {obj} from {value_label('from_status', d.get('from_status'), kind)} "
            f"to {value_label('to_status', d.get('to_status'), kind)}"
        )

    return sentence


def _numbered(kind: str, many: str, numbers: list, names: Names) -> str:
    """Records by number: "print batch 12", "print batches 12, 13"; requests by reference."""
    if kind == "request":
        shown = [object_name("request", n, names).removeprefix("request ") for n in numbers]
    else:
        shown = [str(n) for n in numbers]
    return f"{kind if len(numbers) == 1 else many} {', '.join(shown)}"


def _what_erasure_did(details: dict, names: Names) -> str:
    """What erasing someone did beyond blanking their fields: requests and print batches it cancelled."""
    parts = []
    if details.get("requests_cancelled"):
        parts.append("cancelled " + _numbered("request", "requests", details["requests_cancelled"], names))
    if details.get("batches_cancelled"):
        batches = _numbered("print batch", "print batches", details["batches_cancelled"], names)
        parts.append(f"cancelled {batches} (the other packs wait for the next print run)")
    if details.get("print_files_deleted"):
        batches = _numbered("print batch", "print batches", details["print_files_deleted"], names)
        parts.append(f"deleted the print file of {batches}")
    return "".join(f"; {part}" for part in parts)


def _erased(event: AuditEvent, obj: str, names: Names) -> str:
    d = event.details
    erased = d.get("fields") or d.get("erased")
    text = f"Erased personal data of {obj}"
    if erased:
        text += f": {value_label('fields', erased)}"
    text += _what_erasure_did(d, names)
    if d.get("reason"):
        text += f". Reason: {d['reason']}"
    return text


def _retention_erased(event: AuditEvent, obj: str, names: Names) -> str:
    d = event.details
    text = (
        f"Erased the personal data of {plural(int(d.get('callers') or 0), 'caller')} of {obj} "
        f"after the retention period"
    )
    if d.get("recordings"):
        text += f" ({plural(int(d['recordings']), 'recording')})"
    if d.get("fields"):
        text += f": {value_label('fields', d['fields'])}"
    return text + _what_erasure_did(d, names)


def _with_linked(verb: str) -> Callable[[AuditEvent, str, Names], str]:
    """Viewing or exporting one person may take in several caller records found to be them."""

    def sentence(event: AuditEvent, obj: str, names: Names) -> str:
        others = [r for r in event.details.get("records") or [] if r != event.entity_id]
        text = verb.format(obj=obj)
        return text + (f", with linked {_numbered('caller', 'callers', others, names)}" if others else "")

    return sentence


def _linked(same: bool) -> Callable[[AuditEvent, str, Names], str]:
    """A supervisor's word on two caller records: the entry's own, and the other it names."""

    def sentence(event: AuditEvent, obj: str, names: Names) -> str:
        numbers: list[int | None] = [o.entity_id for o in event.objects if o.entity_type == "caller"] or [
            event.details.get("other")
        ]
        other = " and ".join(object_name("caller", n, names) for n in numbers if n is not None) or "another caller"
        if not same:
            return f"Marked {obj} and {other} as different people"
        evidence = event.details.get("evidence")
        return f"Confirmed that {obj} and {other} are the same person" + (f" ({evidence})" if evidence else "")

    return sentence


def _sign_in_failed(event: AuditEvent, obj: str, names: Names) -> str:
    d = event.details
    attempts = int(d.get("attempts") or 1)
    account = obj if event.entity_id is not None else "an unknown username"
    text = f"{plural(attempts, 'failed sign-in attempt', 'failed sign-in attempts')} on {account}"
    if source := source_address(d):
        text += f" from {source}"
    if d.get("limited"):
        text += " (stopped by the sign-in limits: the password was not checked)"
    if d.get("locked"):
        text += " (the account is now locked)"
    return text


def _signed_in(event: AuditEvent, obj: str, names: Names) -> str:
    source = source_address(event.details)
    return f"Signed in from {source}" if source else "Signed in"


def _print_run(event: AuditEvent, obj: str, names: Names) -> str:
    d = event.details
    batches = [o.entity_id for o in event.objects if o.entity_type == "print_batch"]
    if not d.get("batches"):
        return "Ran a print run: nothing was ready to print"
    numbers = ", ".join(str(b) for b in batches)
    made = plural(int(d["batches"]), "print batch", "print batches")
    return f"Ran a print run: {made} ({numbers}), {plural(int(d.get('packs') or 0), 'pack')}"


def _request_created(event: AuditEvent, obj: str, names: Names) -> str:
    d = event.details
    text = f"Logged {obj}: {value_label('format', d.get('format'))}, {plural(int(d.get('copies') or 1), 'copy')}"
    if d.get("duplicate"):
        text += ", a repeat request"
    if d.get("late"):
        text += ", late"
    return text


def _with_requests(verb: str) -> Callable[[AuditEvent, str, Names], str]:
    def sentence(event: AuditEvent, obj: str, names: Names) -> str:
        text = verb.format(obj=obj)
        if "requests" in event.details:
            text += f" ({plural(int(event.details['requests']), 'request')})"
        return text

    return sentence


def _withdrawn(event: AuditEvent, obj: str, names: Names) -> str:
    request = object_name("request", event.details.get("request_id"), names)
    return f"Cancelled {obj} to take out corrected {request}"


def _received(event: AuditEvent, obj: str, names: Names) -> str:
    d = event.details
    text = f"Received {obj}"
    notes = []
    if d.get("referenced") is False:
        notes.append("no readable reference")
    if d.get("late"):
        notes.append("late")
    if d.get("duplicate_of"):
        notes.append(f"a duplicate of return R{d['duplicate_of']}")
    return text + (f" ({', '.join(notes)})" if notes else "")


def _keyed(event: AuditEvent, obj: str, names: Names) -> str:
    scanned = event.details.get("source") == "scanned"
    return f"Keyed entry {event.details.get('entry', '')} of {obj}" + (" from its scan" if scanned else "")


SENTENCES: dict[str, Callable[[AuditEvent, str, Names], str]] = {
    "audit.exported": lambda e, o, n: f"Downloaded the audit trail: {plural(int(e.details.get('rows') or 0), 'entry')}",
    "call.logged": lambda e, o, n: f"Logged {o}: {value_label('outcome', e.details.get('outcome')).lower()}",
    "call.callback_done": lambda e, o, n: (
        f"Marked the callback on {o} done" + (" (the call connected)" if e.details.get("by_phone") else "")
    ),
    "call.callback_call_started": lambda e, o, n: f"Rang the caller of {o} back with one click",
    "consultation.created": lambda e, o, n: f"Added the consultation {o}",
    "consultation.updated": lambda e, o, n: f"Updated the consultation {o}",
    "consultation.keying_mode_set": lambda e, o, n: (
        f"Set how returns to {o} are keyed: {value_label('keying_mode', e.details.get('keying_mode')).lower()}"
        + (
            f", verification sample {e.details['verification_sample_percent']}%"
            if e.details.get("verification_sample_percent")
            else ""
        )
    ),
    "job.retried": lambda e, o, n: "Retried a failed job",
    "packs.blank_created": lambda e, o, n: (
        f"Made {plural(int(e.details.get('count') or 0), 'blank pack', 'blank packs')} for {o}"
    ),
    "phone_response.checked": lambda e, o, n: (
        f"Checked the spoken answers of {o}: {plural(len(e.details.get('questions') or []), 'answer')} typed"
    ),
    "print_run.done": _print_run,
    "print_batch.created": lambda e, o, n: f"Made {o}: {plural(int(e.details.get('packs') or 0), 'pack')}",
    "print_batch.sent_to_print": _with_requests("Marked {obj} as sent to print"),
    "print_batch.sent_to_print_undone": _with_requests("Undid sent to print for {obj}"),
    "print_batch.posted": lambda e, o, n: (
        f"Marked {o} as posted on {value_label('posted_on', e.details.get('posted_on'))}"
        + (f" ({plural(int(e.details['requests']), 'request')})" if "requests" in e.details else "")
    ),
    "print_batch.cancelled": lambda e, o, n: (
        f"Cancelled {o}: its {plural(int(e.details.get('packs') or 0), 'pack')} wait for the next print run"
    ),
    "print_batch.withdrawn_request": _withdrawn,
    "pack.cancelled": lambda e, o, n: f"Cancelled copy {e.details.get('copy', '')} of {o}",
    "privacy.searched": lambda e, o, n: (
        f"Searched personal data by {_list(e.details, 'fields')}: "
        f"{plural(int(e.details.get('found') or 0), 'person')} found"
    ),
    "privacy.viewed": _with_linked("Viewed the personal data of {obj}"),
    "privacy.exported": _with_linked("Exported the personal data of {obj} (subject access)"),
    "privacy.erased": _erased,
    "privacy.linked": _linked(True),
    "privacy.split": _linked(False),
    "request.created": _request_created,
    "request.status_changed": _status_change("request"),
    "request.address_checked": lambda e, o, n: (
        f"Checked the address of {o}"
        + (f", changing {_list(e.details, 'changed')}" if e.details.get("changed") else ", unchanged")
    ),
    "request.address_not_confirmed": lambda e, o, n: f"Could not confirm the address of {o}: a callback is due",
    "request.corrected": lambda e, o, n: f"Corrected {o}: {_list(e.details, 'changed')}",
    "request.cancelled": lambda e, o, n: f"Cancelled {o}",
    "retention.erased": _retention_erased,
    "return.received": _received,
    "return.keyed": _keyed,
    "return.status_changed": _status_change("return"),
    "return.adjudicated": lambda e, o, n: (
        f"Settled the disagreements of {o}: {plural(len(e.details.get('decisions') or {}), 'decision')}"
    ),
    "returns.exported": lambda e, o, n: (
        f"Exported the responses to {o} as {str(e.details.get('format', '')).upper()}: "
        f"{plural(int(e.details.get('rows') or 0), 'row')}"
    ),
    "scan.uploaded": lambda e, o, n: f"Uploaded {o}: {plural(int(e.details.get('pages') or 0), 'page')}",
    "scan.page_read": lambda e, o, n: (
        f"Read page {e.details.get('page', '')} of scan {e.details.get('scan', '')} into {o}"
    ),
    "scan.page_discarded": lambda e, o, n: (
        f"Deleted page {e.details.get('page', '')} of {o}, which nobody could place: "
        f"{DISCARD_REASONS.get(str(e.details.get('reason')), 'no reason given').lower()}"
    ),
    "retention.scans_released": lambda e, o, n: (
        f"Deleted {plural(int(e.details.get('files') or 0), 'scanned page or upload', 'scanned pages or uploads')} "
        "never placed, after the retention period"
    ),
    "scan.marks_decided": lambda e, o, n: (
        f"Decided {plural(int(e.details.get('marks') or 0), 'box or written answer', 'boxes or written answers')} "
        f"of {o} from a scan"
    ),
    "staff.created": lambda e, o, n: f"Added {o} as {value_label('role', e.details.get('role')).lower()}",
    "staff.password_set": lambda e, o, n: f"Set the password of {o}",
    "staff.phone_set": lambda e, o, n: (
        f"Removed the phone number of {o}" if e.details.get("removed") else f"Set the phone number of {o}"
    ),
    "staff.signed_in": _signed_in,
    "text.requested": lambda e, o, n: f"Asked for the reference of {o} to be texted to the caller",
    "staff.signed_out": lambda e, o, n: "Signed out",
    "staff.sign_in_failed": _sign_in_failed,
    "staff.signed_out_everywhere": lambda e, o, n: f"Signed {o} out everywhere",
    "staff.unlocked": lambda e, o, n: f"Unlocked {o}",
}


def describe(event: AuditEvent, names: Names) -> str:
    """The entry as one sentence, with no code and nothing personal."""
    obj = object_name(event.entity_type, event.entity_id, names)
    sentence = SENTENCES.get(event.action)
    if sentence is not None:
        try:
            return sentence(event, obj, names)
        except (TypeError, ValueError):  # details written by older code in another shape: say it generically
            pass
    text = action_label(event.action)
    if event.entity_type:
        text += f": {obj}"
    details = details_label(event.details, event.entity_type)
    return f"{text} ({details})" if details else text


def mentioned(events: list[AuditEvent]) -> tuple[set[int], set[int], set[int]]:
    """The requests, staff accounts and consultations the entries name, so their names are looked up once."""
    requests: set[int] = set()
    staff: set[int] = set()
    consultations: set[int] = set()
    for event in events:
        if event.entity_id is not None:
            {"request": requests, "staff_user": staff, "consultation": consultations}.get(event.entity_type, set()).add(
                event.entity_id
            )
        if isinstance(event.details.get("request_id"), int):
            requests.add(event.details["request_id"])
        requests |= {r for r in event.details.get("requests_cancelled") or [] if isinstance(r, int)}
    return requests, staff, consultations


def names_for(events: list[AuditEvent]) -> Names:
    """Look up, once, what the entries' records are called."""
    requests, staff, consultations = mentioned(events)
    return Names(first_references(requests), usernames(staff), consultation_names(consultations))
