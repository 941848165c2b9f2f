"""Rendered packs and print batches: finding the work that is due, and claiming packs for a batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload

from service.dao import rows_changed, transactional
from service.dao.audit import record_audit
from service.dao.consultations import current_questionnaire_version
from service.dao.requests import change_request_status
from service.extensions import db
from service.models import (
    BATCH_STATES,
    BatchItem,
    BatchStatus,
    Caller,
    Delivery,
    IllegalTransition,
    Pack,
    PaperRequest,
    PrintBatch,
    PrintFormat,
    RequestStatus,
)
from service.models.consultations import UK
from service.models.types import utcnow

WORKER = "Print worker"


def batch_file_key(batch_id: int) -> str:
    """Where a print batch's PDF is written in the file store."""
    return f"batches/batch-{batch_id}.pdf"


def batch_zip_key(batch_id: int) -> str:
    """Where a braille or audio batch's ZIP of files is written."""
    return f"batches/batch-{batch_id}.zip"


class StoredFile(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def sha256(self) -> str: ...


@transactional
def save_rendered_pack(pack: Pack, stored: StoredFile | None, page_count: int) -> None:
    """The pack is rendered: its PDF is in the file store (written before this commits) and the row names it.
    None: counted as rendered with no file kept; whatever needs its pages draws them."""
    pack.file_key = stored.key if stored else None
    pack.file_size = stored.size if stored else None
    pack.file_sha256 = stored.sha256 if stored else None
    pack.page_count = page_count
    pack.rendered_at = utcnow()
    pack.questionnaire_version = current_questionnaire_version(pack.consultation)  # the definition just drawn


@transactional
def mark_pack_ready(request: PaperRequest, provider: str | None = None) -> None:
    """Every pack of the request is rendered: it waits for the next print run, or, when a print `provider`
    takes it, is that provider's to send (said in the same commit, so no print run takes it meanwhile)."""
    if request.status == RequestStatus.WAITING_FOR_PACK:
        for pack in request.live_packs:
            pack.provider = provider
        change_request_status(request, RequestStatus.PACK_READY, None, WORKER)


@transactional
def mark_pack_failed(request: PaperRequest, reason: str) -> None:
    """Rendering gave up: the request shows why, and a supervisor can retry it."""
    if request.status == RequestStatus.WAITING_FOR_PACK:
        request.failure_reason = reason
        change_request_status(request, RequestStatus.PACK_FAILED, None, WORKER, note=reason)


@transactional
def send_back_to_address_check(request: PaperRequest, reason: str) -> None:
    """The address breaks the postal rules (saved before intake checked them): a call handler puts it right."""
    if request.status in (RequestStatus.WAITING_FOR_PACK, RequestStatus.PACK_FAILED):
        change_request_status(request, RequestStatus.NEEDS_ADDRESS_CHECK, None, WORKER, note=reason)


@transactional
def retry_pack(request: PaperRequest, actor_id: int, actor_label: str) -> None:
    request.failure_reason = ""
    for pack in request.live_packs:  # a letter a provider refused is sent again, or printed here
        pack.provider = pack.provider_reference = pack.provider_status = pack.provider_status_at = None
    change_request_status(request, RequestStatus.WAITING_FOR_PACK, actor_id, actor_label, note="Retried")


def request_ids_waiting_for_pack() -> list[int]:
    query = (
        select(PaperRequest.id).where(PaperRequest.status == RequestStatus.WAITING_FOR_PACK).order_by(PaperRequest.id)
    )
    return list(db.session.scalars(query))


# Print batches ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadyPack:
    pack_id: int
    print_round: int
    request_id: int


def _printed_here():
    """Which ready requests a print run takes: to be posted, and no print provider has taken them to post itself."""
    copy = aliased(Pack)  # any copy of the request, whatever else the query joins
    taken = select(copy.id).where(copy.request_id == PaperRequest.id, copy.provider.is_not(None)).exists()
    # Braille or audio the caller asked to have by email or text is sent, not printed.
    return ~taken & (PaperRequest.delivery == Delivery.POST)


def ready_groups() -> list[tuple[int, PrintFormat]]:
    """(consultation, format) pairs that have packs ready to print."""
    query = (
        select(PaperRequest.consultation_id, PaperRequest.format)
        .where(PaperRequest.status == RequestStatus.PACK_READY, _printed_here())
        .group_by(PaperRequest.consultation_id, PaperRequest.format)
        .order_by(PaperRequest.consultation_id, PaperRequest.format)
    )
    return [(row[0], row[1]) for row in db.session.execute(query)]


def find_ready_packs(consultation_id: int, print_format: PrintFormat) -> list[ReadyPack]:
    """Packs ready to print for one consultation and format, in postcode order (cheaper postage sorting)."""
    query = (
        select(Pack.id, Pack.print_round, PaperRequest.id)
        .join(PaperRequest, Pack.request_id == PaperRequest.id)
        .join(Caller, PaperRequest.caller_id == Caller.id)
        .where(
            PaperRequest.consultation_id == consultation_id,
            PaperRequest.format == print_format,
            PaperRequest.status == RequestStatus.PACK_READY,
            Pack.cancelled_at.is_(None),
            _printed_here(),
        )
        .order_by(Caller.postcode, PaperRequest.id, Pack.copy_number)
    )
    return [ReadyPack(*row) for row in db.session.execute(query)]


class PacksAlreadyClaimed(Exception):
    """Another print run claimed some of these packs first (the partial unique index said so)."""


@transactional
def claim_packs(
    consultation_id: int, print_format: PrintFormat, packs: list[ReadyPack], actor_id: int | None
) -> PrintBatch:
    """Make a batch of `packs`. The database refuses a pack already in a holding batch for its print round."""
    batch = PrintBatch(
        consultation_id=consultation_id, format=print_format, created_by_id=actor_id, pack_count=len(packs)
    )
    db.session.add(batch)
    db.session.flush()
    db.session.add_all(
        BatchItem(
            batch_id=batch.id,
            batch_status=BatchStatus.BUILDING,
            pack_id=p.pack_id,
            print_round=p.print_round,
            position=i,
        )
        for i, p in enumerate(packs)
    )
    try:
        db.session.flush()
    except IntegrityError:
        raise PacksAlreadyClaimed() from None
    request_ids = sorted({p.request_id for p in packs})
    for request in db.session.scalars(select(PaperRequest).where(PaperRequest.id.in_(request_ids))):
        change_request_status(
            request,
            RequestStatus.IN_PRINT_BATCH,
            actor_id,
            "" if actor_id else WORKER,
            note=f"Batch {batch.id}",
            audited=False,
        )
    # No audit entry per batch: the print run that made it records one entry for all its batches.
    return batch


def create_print_batch(
    consultation_id: int, print_format: PrintFormat, actor_id: int | None = None
) -> PrintBatch | None:
    """Gather every ready pack of one consultation and format into a new batch (None if there are none)."""
    for _ in range(3):
        packs = find_ready_packs(consultation_id, print_format)
        if not packs:
            return None
        try:
            return claim_packs(consultation_id, print_format, packs, actor_id)
        except PacksAlreadyClaimed:
            continue  # a concurrent run took some: look again at what is left
    return None


def get_batch(batch_id: int) -> PrintBatch | None:
    return db.session.get(PrintBatch, batch_id)


def load_batch(batch_id: int) -> PrintBatch:
    """The batch `batch_id`, which the caller knows exists (batches are never deleted): NoResultFound if not."""
    return db.session.get_one(PrintBatch, batch_id)


def list_batches(limit: int = 100) -> list[PrintBatch]:
    query = select(PrintBatch).options(joinedload(PrintBatch.consultation)).order_by(PrintBatch.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def batch_pack_ids(batch_id: int) -> list[int]:
    query = select(BatchItem.pack_id).where(BatchItem.batch_id == batch_id).order_by(BatchItem.position)
    return list(db.session.scalars(query))


def batch_pack_files(pack_ids: list[int], session: Session | None = None) -> dict[int, tuple[str | None, str | None]]:
    """Each pack's stored PDF: its key and SHA-256 (None, None when it has none)."""
    session = session or db.session()
    query = select(Pack.id, Pack.file_key, Pack.file_sha256).where(Pack.id.in_(pack_ids))
    return {pack_id: (key, digest) for pack_id, key, digest in session.execute(query)}


def load_packs(pack_ids: list[int], session: Session | None = None) -> list[Pack]:
    """Packs with what their pages need, in the order given (in `session` if given)."""
    session = session or db.session()
    query = (
        select(Pack)
        .where(Pack.id.in_(pack_ids))
        .options(
            joinedload(Pack.request).joinedload(PaperRequest.caller),
            joinedload(Pack.consultation),
        )
    )
    by_id = {pack.id: pack for pack in session.scalars(query).unique()}
    return [by_id[i] for i in pack_ids]


def batch_manifest_rows(batch_id: int) -> list[tuple[BatchItem, Pack]]:
    query = (
        select(BatchItem, Pack)
        .join(Pack, BatchItem.pack_id == Pack.id)
        .where(BatchItem.batch_id == batch_id)
        .options(joinedload(Pack.request).joinedload(PaperRequest.caller))
        .order_by(BatchItem.position)
    )
    return [(row[0], row[1]) for row in db.session.execute(query).unique()]


def batch_ids_building() -> list[int]:
    return list(db.session.scalars(select(PrintBatch.id).where(PrintBatch.status == BatchStatus.BUILDING)))


def _move_batch(batch: PrintBatch, new: BatchStatus, **values) -> None:
    """Compare-and-set, by the table BATCH_STATES: change the batch's status only if, in the database, it is
    still in one allowed to go to `new`. A concurrent change (a cancel while the builder finishes) makes it
    refuse with IllegalTransition, as a move not in the table would be.
    """
    changed = rows_changed(
        update(PrintBatch)
        .where(PrintBatch.id == batch.id, PrintBatch.status.in_(BATCH_STATES.sources(new)))
        .values(status=new, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(batch)
    if changed != 1:
        BATCH_STATES.check(batch.status, new)
        raise IllegalTransition(f"The print batch changed meanwhile; it is now {batch.status.label.lower()}")


@transactional
def record_batch_progress(batch_id: int, packs_built: int, page_count: int) -> bool:
    """Note how far the builder is; False if the batch is no longer building (cancelled meanwhile)."""
    changed = rows_changed(
        update(PrintBatch)
        .where(PrintBatch.id == batch_id, PrintBatch.status == BatchStatus.BUILDING)
        .values(packs_built=packs_built, page_count=page_count)
        .execution_options(synchronize_session=False)
    )
    return changed == 1


@transactional
def mark_batch_built(batch: PrintBatch, file_key: str, page_count: int) -> None:
    """Building -> ready, only if nobody cancelled it meanwhile (IllegalTransition then)."""
    _move_batch(
        batch,
        BatchStatus.READY,
        file_key=file_key,
        page_count=page_count,
        packs_built=batch.pack_count,
        built_at=utcnow(),
    )


@transactional
def mark_batch_failed(batch: PrintBatch, reason: str) -> None:
    _move_batch(batch, BatchStatus.FAILED, error=reason)


def _requests_in(batch: PrintBatch, status: RequestStatus) -> list[PaperRequest]:
    query = (
        select(PaperRequest)
        .join(Pack, Pack.request_id == PaperRequest.id)
        .join(BatchItem, BatchItem.pack_id == Pack.id)
        .where(BatchItem.batch_id == batch.id, BatchItem.print_round == Pack.print_round)
        .where(PaperRequest.status == status)
        .distinct()
    )
    return list(db.session.scalars(query))


@transactional
def mark_batch_sent_to_print(batch: PrintBatch, actor_id: int | None, actor_label: str) -> None:
    _move_batch(batch, BatchStatus.SENT_TO_PRINT, sent_to_print_at=utcnow())
    requests = _requests_in(batch, RequestStatus.IN_PRINT_BATCH)
    for request in requests:
        change_request_status(
            request, RequestStatus.SENT_TO_PRINT, actor_id, actor_label, note=f"Batch {batch.id}", audited=False
        )
    record_audit(actor_id, "print_batch.sent_to_print", "print_batch", batch.id, requests=len(requests))


def sent_to_print_today(batch: PrintBatch, now: datetime) -> bool:
    """Whether marking the batch sent to print may still be undone: only on the (UK) day it was done."""
    return (
        batch.status == BatchStatus.SENT_TO_PRINT
        and batch.sent_to_print_at is not None
        and batch.sent_to_print_at.astimezone(UK).date() == now.astimezone(UK).date()
    )


@transactional
def undo_batch_sent_to_print(batch: PrintBatch, actor_id: int, actor_label: str) -> None:
    """Take back "sent to print" on the day it was marked (a slip of the finger): the batch is ready again."""
    now = utcnow()
    if not sent_to_print_today(batch, now):
        raise IllegalTransition("Sent to print can only be undone on the day it was marked, before posting")
    BATCH_STATES.check(batch.status, BatchStatus.READY)
    # Compare-and-set: a colleague marking it posted at the same moment wins, and this undo is refused.
    moved = rows_changed(
        update(PrintBatch)
        .where(PrintBatch.id == batch.id, PrintBatch.status == BatchStatus.SENT_TO_PRINT)
        .values(status=BatchStatus.READY, sent_to_print_at=None)
        .execution_options(synchronize_session=False)
    )
    if moved != 1:
        raise IllegalTransition("This batch has just been marked posted, so it can no longer be undone")
    db.session.refresh(batch)
    requests = [r for r in _requests_in(batch, RequestStatus.SENT_TO_PRINT) if r.status == RequestStatus.SENT_TO_PRINT]
    for request in requests:
        change_request_status(
            request,
            RequestStatus.IN_PRINT_BATCH,
            actor_id,
            actor_label,
            note=f"Batch {batch.id}: sent undone",
            audited=False,
        )
    record_audit(actor_id, "print_batch.sent_to_print_undone", "print_batch", batch.id, requests=len(requests))


@transactional
def mark_batch_posted(batch: PrintBatch, posted_on: date, actor_id: int | None, actor_label: str) -> None:
    _move_batch(batch, BatchStatus.POSTED, posted_on=posted_on)
    requests = _requests_in(batch, RequestStatus.SENT_TO_PRINT)
    for request in requests:
        change_request_status(
            request,
            RequestStatus.POSTED,
            actor_id,
            actor_label,
            note=f"Batch {batch.id}, posted {posted_on:%-d %b %Y}",
            audited=False,
        )
    record_audit(
        actor_id, "print_batch.posted", "print_batch", batch.id, posted_on=posted_on.isoformat(), requests=len(requests)
    )


@transactional
def cancel_batch(batch: PrintBatch, actor_id: int | None, actor_label: str) -> None:
    """Cancel a batch not yet sent: its packs go back to waiting for the next print run.

    The batch's items stay, as history; the database stops counting them as holding their packs.
    """
    _move_batch(batch, BatchStatus.CANCELLED, cancelled_at=utcnow())
    for request in _requests_in(batch, RequestStatus.IN_PRINT_BATCH):
        change_request_status(
            request, RequestStatus.PACK_READY, actor_id, actor_label, note=f"Batch {batch.id} cancelled", audited=False
        )
    record_audit(actor_id, "print_batch.cancelled", "print_batch", batch.id, packs=batch.pack_count)


@transactional
def reprint_request(request: PaperRequest, actor_id: int, actor_label: str, reason: str) -> None:
    """A pack lost in the post: print it again, same reference, in the next batch."""
    for pack in request.packs:
        pack.print_round += 1
        # The next print run prints it again, whoever posted it before.
        pack.provider = pack.provider_reference = pack.provider_status = pack.provider_status_at = None
    change_request_status(request, RequestStatus.PACK_READY, actor_id, actor_label, note=f"Reprint: {reason}")


def batch_pack_pages(batch_id: int) -> int:
    """The pages of every pack in a batch, as each was rendered (the cover sheet says this before they print)."""
    query = (
        select(func.coalesce(func.sum(Pack.page_count), 0))
        .join(BatchItem, BatchItem.pack_id == Pack.id)
        .where(BatchItem.batch_id == batch_id)
    )
    return int(db.session.scalar(query) or 0)
