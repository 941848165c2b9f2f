"""Requests for paper copies: creating them with their references, finding them, moving their status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import joinedload, selectinload

from service.dao import rows_changed, transactional
from service.dao.audit import record_audit
from service.dao.consultations import current_questionnaire_version
from service.dao.matching import name_matches, starts_literally
from service.dao.paging import Page, page_of
from service.dao.request_inserts import InsertedRequest, insert_request, request_rows
from service.extensions import db
from service.models import (
    REQUEST_STATES,
    CallChannel,
    Caller,
    Consultation,
    Delivery,
    Pack,
    PaperRequest,
    PrintFormat,
    RequestStatus,
    StatusChange,
)
from service.models.callers import match_keys
from service.models.types import utcnow
from service.reference import new_reference


@dataclass(frozen=True)
class NewRequest:
    """Everything needed to log a request, already validated."""

    consultation_id: int
    name: str
    address_line_1: str
    address_line_2: str
    address_line_3: str
    town: str
    postcode: str
    phone: str | None
    format: PrintFormat
    language: str
    copies: int
    notes: str
    local_authority: str | None
    is_late: bool
    status: RequestStatus
    fulfilment_due_on: date | None
    duplicate_reason: str = ""
    call_id: int | None = None
    channel: CallChannel = CallChannel.HANDLER
    idempotency_key: str | None = None  # the phone menu's: a second request with the same key is refused
    delivery: Delivery = Delivery.POST  # braille and audio: by post, or by email or text as the caller asks
    email: str | None = None


RENDER_AFTER_COMMIT = "render_after_commit"


def _render_after_commit(request_id: int) -> None:
    """Ask for the pack to be rendered once this transaction commits (see service/queues/after_commit.py)."""
    db.session.info.setdefault(RENDER_AFTER_COMMIT, set()).add(request_id)


def find_likely_duplicates(consultation_id: int, name: str, address_line_1: str, postcode: str) -> list[PaperRequest]:
    """Requests in the same consultation from the same name and postcode, or to the same address."""
    keys = match_keys(name, address_line_1)  # as the caller rows keep them
    same = Caller.name_key == keys["name_key"]
    if keys["address_key"]:
        same = or_(same, Caller.address_key == keys["address_key"])
    # Two steps: the callers at this postcode (indexed on postcode and each key), then their requests.
    # As one query, SQLite without statistics walks every request of the consultation instead
    # (300 ms at 100,000 requests, against about 1 ms this way); PostgreSQL is fast either way.
    caller_ids = list(
        db.session.scalars(select(Caller.id).where(Caller.postcode == postcode, Caller.erased_at.is_(None), same))
    )
    if not caller_ids:
        return []
    query = (
        select(PaperRequest)
        .where(PaperRequest.caller_id.in_(caller_ids), PaperRequest.consultation_id == consultation_id)
        .options(selectinload(PaperRequest.packs), joinedload(PaperRequest.caller))
    )
    matches = sorted(db.session.scalars(query), key=lambda r: (r.created_at, r.id), reverse=True)
    return matches[:10]


def _new_pack(consultation_id: int, copy_number: int, request_id: int | None, form_key: str | None = None) -> Pack:
    """Add a pack with a fresh random reference; a clash with an existing one just draws again.

    One INSERT that leaves a reference already taken alone (ON CONFLICT DO NOTHING, on SQLite and
    PostgreSQL alike) and then inserts nothing; a savepoint around each insert cost two more round trips per
    copy, while the caller waited on the phone. The unique index still decides, however many insert at once.
    """
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    while True:
        statement = (
            insert(Pack)
            .values(
                reference=new_reference(),
                consultation_id=consultation_id,
                request_id=request_id,
                copy_number=copy_number,
                form_key=form_key,
            )
            .on_conflict_do_nothing(index_elements=[Pack.reference])
            .returning(Pack)
        )
        pack = db.session.scalars(statement).first()
        if pack is not None:
            return pack


@transactional
def create_blank_packs(
    consultation_id: int, count: int, actor_id: int | None, form_key: str | None = None
) -> list[Pack]:
    """Unpersonalised packs with distinct references, to hand out at libraries and events."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise LookupError(f"no consultation {consultation_id}")
    version = current_questionnaire_version(consultation)
    packs = [_new_pack(consultation_id, 1, None, form_key) for _ in range(count)]
    for pack in packs:  # drawn straight away, from the definition as it is now
        pack.questionnaire_version = version
    record_audit(actor_id, "packs.blank_created", "consultation", consultation_id, count=count)
    return packs


def blank_pack_ids_made_by(form_key: str) -> list[int]:
    """The blank packs one submitted form made, in the order it made them."""
    return list(db.session.scalars(select(Pack.id).where(Pack.form_key == form_key).order_by(Pack.id)))


class LikelyDuplicate(Exception):
    """A request from the same caller was saved meanwhile, and no reason for another copy was given."""


def _one_request_at_a_time(consultation_id: int) -> None:
    """Hold the consultation's row until commit, so two requests for it never check for duplicates at once.

    PostgreSQL: a row lock that leaves other tables' foreign keys to it alone. SQLite: any write takes the
    database's write lock, so a no-op update does.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            select(Consultation.id).where(Consultation.id == consultation_id).with_for_update(key_share=True)
        )
    else:
        db.session.execute(update(Consultation).where(Consultation.id == consultation_id).values(id=Consultation.id))


@transactional
def create_request(
    details: NewRequest, actor_id: int | None, actor_label: str = "", *, refuse_likely_duplicates: bool = False
) -> InsertedRequest:
    """Save a request, its caller (and its call, if not logged already), one reference per copy and its first
    status; return the new request's and caller's ids.

    With `refuse_likely_duplicates` and no duplicate reason, raise LikelyDuplicate if the same caller's
    request is already there: checked under a lock, so two identical forms saved at once make one request.
    """
    if refuse_likely_duplicates and not details.duplicate_reason:
        _one_request_at_a_time(details.consultation_id)
        if find_likely_duplicates(details.consultation_id, details.name, details.address_line_1, details.postcode):
            raise LikelyDuplicate()
    REQUEST_STATES.check(None, details.status)
    audit_details = {
        "format": details.format.value,
        "copies": details.copies,
        "duplicate": bool(details.duplicate_reason),
        "late": details.is_late,
    }
    inserted = insert_request(request_rows(details, actor_id, actor_label, audit_details))
    for copy_number in range(1, details.copies + 1):
        if copy_number not in inserted.copy_numbers:  # its reference was taken already: draw another
            _new_pack(details.consultation_id, copy_number, inserted.request_id)
    if details.status == RequestStatus.WAITING_FOR_PACK:
        _render_after_commit(inserted.request_id)
    return inserted


class RequestChangedMeanwhile(Exception):
    """The request stopped waiting for its pack while the pack was made (erased, cancelled, corrected)."""


def claim_waiting_request(request_id: int) -> None:
    """Compare-and-set before a made pack is saved: the request must still wait for its pack, in the database;
    its row is then held until commit. Otherwise RequestChangedMeanwhile: whatever was made from the details
    read earlier (a name and address, perhaps erased since) is not kept."""
    claimed = rows_changed(
        update(PaperRequest)
        .where(PaperRequest.id == request_id, PaperRequest.status == RequestStatus.WAITING_FOR_PACK)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed != 1:
        raise RequestChangedMeanwhile(request_id)


@transactional
@transactional
def change_request_status(
    request: PaperRequest,
    new: RequestStatus,
    actor_id: int | None,
    actor_label: str = "",
    note: str = "",
    audited: bool = True,
) -> None:
    """Move a request to `new` (if the state machine allows) and record who did it.

    `audited=False` when the move follows a print batch's: the request's history records it, and the batch's
    one audit entry stands for all its requests (a 400-pack batch is one line in the trail, not 400).
    """
    old = request.status
    REQUEST_STATES.check(old, new)
    request.status = new
    if new == RequestStatus.WAITING_FOR_PACK:
        _render_after_commit(request.id)
    _record_status_change(request, old, new, actor_id, actor_label, note, audited)


def _record_status_change(
    request: PaperRequest,
    old: RequestStatus,
    new: RequestStatus,
    actor_id: int | None,
    actor_label: str = "",
    note: str = "",
    audited: bool = True,
) -> None:
    """The request's history (and, for a person's move, the audit trail) says who moved it and why."""
    db.session.add(
        StatusChange(
            request_id=request.id,
            from_status=old.value,
            to_status=new.value,
            actor_id=actor_id,
            actor_label=actor_label,
            note=note,
        )
    )
    if actor_id is not None and audited:
        record_audit(
            actor_id, "request.status_changed", "request", request.id, from_status=old.value, to_status=new.value
        )


def get_request(request_id: int) -> PaperRequest | None:
    """The request with its copies, caller and consultation, in one query (a request has a handful of copies;
    loading them with a second query was a twentieth of the render job's time)."""
    query = (
        select(PaperRequest)
        .where(PaperRequest.id == request_id)
        .options(joinedload(PaperRequest.packs), joinedload(PaperRequest.caller), joinedload(PaperRequest.consultation))
    )
    return db.session.scalars(query).unique().first()


def load_request(request_id: int) -> PaperRequest:
    """The request `request_id`, which the caller was given as existing (a phone call's own): NoResultFound if not."""
    request = get_request(request_id)
    if request is None:
        raise NoResultFound(f"no request {request_id}")
    return request


def get_pack_by_reference(reference: str) -> Pack | None:
    return db.session.scalar(select(Pack).where(Pack.reference == reference))


def get_status_history(request_id: int) -> list[StatusChange]:
    query = (
        select(StatusChange)
        .where(StatusChange.request_id == request_id)
        .options(joinedload(StatusChange.actor))
        .order_by(StatusChange.at, StatusChange.id)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class RequestSearch:
    text: str = ""  # a name, a postcode or a reference
    status: RequestStatus | None = None
    consultation_id: int | None = None
    from_date: datetime | None = None
    to_date: datetime | None = None  # exclusive
    page: int = 1


def search_requests(criteria: RequestSearch) -> Page[PaperRequest]:
    """Return one page of matching requests, newest first, and the total count."""
    conditions = []
    text = criteria.text.strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        compact = "".join(text.split()).upper()
        by_reference = select(Pack.request_id).where(Pack.reference == digits)
        options = [
            name_matches(Caller.name_key, Caller.name, text),
            func.replace(Caller.postcode, " ", "") == compact,
        ]
        if len(digits) == 10:
            options.append(PaperRequest.id.in_(by_reference))
        if compact and len(compact) <= 4 and compact[0].isalpha():
            options.append(starts_literally(Caller.postcode, compact + " "))  # a whole postcode district, e.g. "L18"
        conditions.append(or_(*options))
    if criteria.status:
        conditions.append(PaperRequest.status == criteria.status)
    if criteria.consultation_id:
        conditions.append(PaperRequest.consultation_id == criteria.consultation_id)
    if criteria.from_date:
        conditions.append(PaperRequest.created_at >= criteria.from_date)
    if criteria.to_date:
        conditions.append(PaperRequest.created_at < criteria.to_date)
    base = select(PaperRequest).join(Caller, PaperRequest.caller_id == Caller.id).where(*conditions)
    query = base.options(
        selectinload(PaperRequest.packs), joinedload(PaperRequest.caller), joinedload(PaperRequest.consultation)
    ).order_by(PaperRequest.created_at.desc(), PaperRequest.id.desc())
    return page_of(query, criteria.page, count_query=base)


def list_alternative_formats_due() -> list[PaperRequest]:
    """Alternative-format requests still to fulfil by hand, earliest due first."""
    query = (
        select(PaperRequest)
        .where(PaperRequest.status == RequestStatus.ALTERNATIVE_FORMAT_DUE)
        .options(
            selectinload(PaperRequest.packs), joinedload(PaperRequest.caller), joinedload(PaperRequest.consultation)
        )
        .order_by(PaperRequest.fulfilment_due_on, PaperRequest.id)
    )
    return list(db.session.scalars(query))


def count_requests_with_status(status: RequestStatus) -> int:
    return db.session.scalar(select(func.count()).where(PaperRequest.status == status)) or 0
