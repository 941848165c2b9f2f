"""The audit trail: writing entries (never changing them) and finding them by who, what, which record and when."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import joinedload

from service.dao import transactional
from service.dao.paging import PER_PAGE, Page, page_of
from service.extensions import db
from service.models import (
    AuditEvent,
    AuditEventObject,
    BatchItem,
    Call,
    Caller,
    Consultation,
    Pack,
    PaperRequest,
    StaffUser,
)

# Details name fields and count things; these keys would carry a person's values, so they are refused at the
# door (the erase entry lists erased fields by name under `fields`, which is a list of field names).
PERSONAL_KEYS = frozenset(
    {"name", "address", "address_line_1", "address_line_2", "address_line_3", "town", "postcode", "phone", "notes"}
)

ObjectKey = tuple[str, int]
# Details that name further records by id: the object filter finds the entry by them too (an erasure by the
# batches it cancelled, a batch's withdrawal by its request, a person's entries by their linked records).
DETAIL_OBJECTS = {
    "request_id": "request",
    "requests_cancelled": "request",
    "batches_cancelled": "print_batch",
    "print_files_deleted": "print_batch",
}
CALLER_DETAIL_OBJECTS = {"other": "caller", "records": "caller"}  # on entries about a caller


def _named_in(entity_type: str, details: dict[str, Any]) -> set[ObjectKey]:
    named = DETAIL_OBJECTS | (CALLER_DETAIL_OBJECTS if entity_type == "caller" else {})
    found = set()
    for key, kind in named.items():
        value = details.get(key)
        for number in value if isinstance(value, list | tuple) else [value]:
            if isinstance(number, int) and not isinstance(number, bool):
                found.add((kind, number))
    return found


def _refuse_personal_values(details: dict[str, Any]) -> None:
    personal = PERSONAL_KEYS & details.keys()
    if personal:
        raise ValueError(f"Audit details must not hold personal values: {sorted(personal)}")


def audit_values(actor_id: int | None, action: str, entity_type: str, details: dict[str, Any]) -> dict[str, Any]:
    """The columns of an audit entry written with its record in one INSERT (the entity's id added there).

    Only for entries that name no further records: those need rows of their own (`record_audit`).
    """
    _refuse_personal_values(details)
    if _named_in(entity_type, details):
        raise ValueError(f"{action}: details naming further records need record_audit")
    return {"actor_id": actor_id, "action": action, "entity_type": entity_type, "details": details}


def record_audit(
    actor_id: int | None,
    action: str,
    entity_type: str = "",
    entity_id: int | None = None,
    *,
    also: Iterable[ObjectKey] = (),
    **details: Any,
) -> AuditEvent:
    """Add an audit record to the current transaction (details name fields, never personal values).

    `also` names further records the entry is about (the batches of one print run), found by the filter too.
    """
    _refuse_personal_values(details)
    event = AuditEvent(actor_id=actor_id, action=action, entity_type=entity_type, entity_id=entity_id, details=details)
    objects = (set(also) | _named_in(entity_type, details)) - {(entity_type, entity_id)}
    event.objects = [AuditEventObject(entity_type=kind, entity_id=number) for kind, number in sorted(objects)]
    db.session.add(event)
    return event


@transactional
def record_audit_download(actor_id: int, rows: int) -> AuditEvent:
    """A supervisor downloaded (a filtered view of) the audit trail."""
    return record_audit(actor_id, "audit.exported", rows=rows)


@transactional
def record_print_run(actor_id: int | None, batches: Sequence[tuple[int, int]]) -> AuditEvent:
    """One entry for one print run, whatever it held: how many batches and packs, and which batches."""
    return record_audit(
        actor_id,
        "print_run.done",
        also=[("print_batch", batch_id) for batch_id, _ in batches],
        batches=len(batches),
        packs=sum(packs for _, packs in batches),
    )


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


@dataclass(frozen=True)
class AuditSearch:
    """What a supervisor filters the trail by; every part optional."""

    actor_id: int | None = None
    by_no_one: bool = False  # entries no signed-in member of staff made: scheduled jobs, failed sign-ins
    actions: tuple[str, ...] = ()
    objects: tuple[ObjectKey, ...] = ()  # entries about any of these records
    from_at: datetime | None = None
    before: datetime | None = None
    page: int = 1
    per_page: int = PER_PAGE


def _about(objects: Sequence[ObjectKey]) -> ColumnElement[bool]:
    """Entries whose own record, or one of their further records, is among `objects`."""
    if not objects:
        return false()
    by_type: dict[str, list[int]] = {}
    for kind, number in objects:
        by_type.setdefault(kind, []).append(number)
    own = [and_(AuditEvent.entity_type == k, AuditEvent.entity_id.in_(ids)) for k, ids in by_type.items()]
    further = select(AuditEventObject.event_id).where(
        or_(
            *(
                and_(AuditEventObject.entity_type == k, AuditEventObject.entity_id.in_(ids))
                for k, ids in by_type.items()
            )
        )
    )
    return or_(*own, AuditEvent.id.in_(further))


# A failed sign-in is an attempt on an account by someone not signed in, whoever the account belongs to (entries
# written before sign-in attempts were recorded without an actor name the account's owner as the actor).
ATTEMPTS = ("staff.sign_in_failed",)


def _matching(search: AuditSearch):
    query = select(AuditEvent)
    if search.by_no_one:
        query = query.where(or_(AuditEvent.actor_id.is_(None), AuditEvent.action.in_(ATTEMPTS)))
    elif search.actor_id is not None:
        query = query.where(AuditEvent.actor_id == search.actor_id, AuditEvent.action.not_in(ATTEMPTS))
    if search.actions:
        query = query.where(AuditEvent.action.in_(search.actions))
    if search.objects:
        query = query.where(_about(search.objects))
    if search.from_at is not None:
        query = query.where(AuditEvent.at >= search.from_at)
    if search.before is not None:
        query = query.where(AuditEvent.at < search.before)
    return query


def search_audit(search: AuditSearch) -> Page[AuditEvent]:
    """One page of the entries matching `search`, newest first, with the true number that match."""
    query = _matching(search)
    ordered = query.options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return page_of(ordered, search.page, count_query=query, per_page=search.per_page)


def audit_chunk(search: AuditSearch, after: tuple[datetime, int] | None, size: int = 500) -> list[AuditEvent]:
    """The next `size` entries matching `search`, newest first, after (older than) `after`: the CSV export reads
    the trail this way, a chunk per query, so no cursor has to outlive one app context."""
    query = _matching(search).options(joinedload(AuditEvent.actor))
    if after is not None:
        query = query.where(or_(AuditEvent.at < after[0], and_(AuditEvent.at == after[0], AuditEvent.id < after[1])))
    return list(db.session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(size)))


def objects_of_request(request_id: int) -> list[ObjectKey]:
    """A request, the person who asked for it and every print batch that held one of its packs."""
    caller_id = db.session.scalar(select(PaperRequest.caller_id).where(PaperRequest.id == request_id))
    batches = db.session.scalars(
        select(BatchItem.batch_id).join(Pack, Pack.id == BatchItem.pack_id).where(Pack.request_id == request_id)
    )
    objects = [("request", request_id)] + [("print_batch", b) for b in set(batches)]
    return objects + ([("caller", caller_id)] if caller_id is not None else [])


def objects_of_caller(caller_id: int) -> list[ObjectKey]:
    """A person (one caller record), their requests and their calls."""
    requests = db.session.scalars(select(PaperRequest.id).where(PaperRequest.caller_id == caller_id))
    calls = db.session.scalars(select(Call.id).where(Call.caller_id == caller_id))
    return [("caller", caller_id)] + [("request", r) for r in requests] + [("call", c) for c in calls]


def request_id_by_reference(reference: str) -> int | None:
    return db.session.scalar(select(Pack.request_id).where(Pack.reference == reference))


def caller_exists(caller_id: int) -> bool:
    return db.session.get(Caller, caller_id) is not None


def first_references(request_ids: Iterable[int]) -> dict[int, str]:
    """The reference quoted to each caller (the first copy's), by request, for naming requests in the trail."""
    ids = set(request_ids)
    if not ids:
        return {}
    first = (
        select(Pack.request_id, func.min(Pack.copy_number).label("copy"))
        .where(Pack.request_id.in_(ids))
        .group_by(Pack.request_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Pack.request_id, Pack.reference).join(
            first, and_(Pack.request_id == first.c.request_id, Pack.copy_number == first.c.copy)
        )
    )
    return {request_id: reference for request_id, reference in rows if request_id is not None}


def usernames(staff_ids: Iterable[int]) -> dict[int, str]:
    ids = set(staff_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(StaffUser.id, StaffUser.username).where(StaffUser.id.in_(ids))).all())


def consultation_names(consultation_ids: Iterable[int]) -> dict[int, str]:
    ids = set(consultation_ids)
    if not ids:
        return {}
    consultations = db.session.scalars(select(Consultation).where(Consultation.id.in_(ids)))
    return {c.id: c.display_name for c in consultations}


def staff_accounts() -> list[StaffUser]:
    """Every staff account, by display name, for the trail's "who" filter."""
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.display_name, StaffUser.username)))


def staff_by_username(username: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower()))
