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


def _erased(event: AuditEvent, obj: str, names: Names) -> str:
    d = event.details
    erased = d.get("fields") or d.get("erased")
    text = f"Erased personal data of {obj}"
    if erased:
        text += f": {value_label('fields', erased)}"
    if d.get("reason"):
        text += f". Reason: {d['reason']}"
    return text


def _link(verb: str) -> Callable[[AuditEvent, str, Names], str]:
    """A supervisor's word on two caller records: the entry's own, and the other it names."""

    def sentence(event: AuditEvent, obj: str, names: Names) -> str:
        others = [f"caller {o.entity_id}" for o in event.objects if o.entity_type == "caller"]
        text = f"{verb} {obj} and {', '.join(others) or 'another caller'}"
        evidence = event.details.get("evidence")
        return text + (f" (evidence: {evidence})" if evidence else "")

    return sentence


def _sign_in_failed(event: AuditEvent, obj: str, names: Names) -> str:
    d = event.details
    attempts = int(d.get("attempts") or 1)
    account = obj if event.entity_id is not None else "an unknown username"
    text = f"{plural(attempts, 'failed sign-in attempt')} on {account}"
    if source := source_address(d):
        text += f" from {source}"
    if d.get("locked"):
        text += " (the account is now locked)"
    return text


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
    "call.callback_done": lambda e, o, n: f"Marked the callback on {o} done",
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
    "packs.blank_created": lambda e, o, n: f"Made {plural(int(e.details.get('count') or 0), 'blank pack')} for {o}",
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
    "privacy.viewed": lambda e, o, n: f"Viewed the personal data of {o}",
    "privacy.exported": lambda e, o, n: f"Exported the personal data of {o} (subject access)",
    "privacy.erased": _erased,
    "privacy.linked": _link("Confirmed as one person"),
    "privacy.split": _link("Marked as not the same person"),
    "request.created": _request_created,
    "request.status_changed": _status_change("request"),
    "request.address_checked": lambda e, o, n: (
        f"Checked the address of {o}"
        + (f", changing {_list(e.details, 'changed')}" if e.details.get("changed") else ", unchanged")
    ),
    "request.address_not_confirmed": lambda e, o, n: f"Could not confirm the address of {o}: a callback is due",
    "request.corrected": lambda e, o, n: f"Corrected {o}: {_list(e.details, 'changed')}",
    "request.cancelled": lambda e, o, n: f"Cancelled {o}",
    "retention.erased": lambda e, o, n: (
        f"Erased the personal data of {plural(int(e.details.get('callers') or 0), 'caller')} of {o} "
        f"after the retention period ({plural(int(e.details.get('recordings') or 0), 'recording')})"
    ),
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
    "scan.marks_decided": lambda e, o, n: (
        f"Decided {plural(int(e.details.get('marks') or 0), 'box or written answer', 'boxes or written answers')} "
        f"of {o} from a scan"
    ),
    "staff.created": lambda e, o, n: f"Added {o} as {value_label('role', e.details.get('role')).lower()}",
    "staff.password_set": lambda e, o, n: f"Set the password of {o}",
    "staff.signed_in": lambda e, o, n: "Signed in",
    "staff.signed_out": lambda e, o, n: "Signed out",
    "staff.sign_in_failed": _sign_in_failed,
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
    requests, staff, consultations = set(), set(), set()
    for event in events:
        if event.entity_id is not None:
            {"request": requests, "staff_user": staff, "consultation": consultations}.get(event.entity_type, set()).add(
                event.entity_id
            )
        if isinstance(event.details.get("request_id"), int):
            requests.add(event.details["request_id"])
    return requests, staff, consultations


def names_for(events: list[AuditEvent]) -> Names:
    """Look up, once, what the entries' records are called."""
    requests, staff, consultations = mentioned(events)
    return Names(first_references(requests), usernames(staff), consultation_names(consultations))
