"""Corrections and cancellations before posting: the caller's details, the format and copies, or the whole request.

A correction keeps every reference already read to the caller, throws the old PDFs away and has the pack made
again; a request in a print batch not yet sent is withdrawn first, by cancelling that batch (its other packs
wait for the next print run), so no print file ever holds a pack that is no longer true.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from service.dao import transactional
from service.dao.audit import record_audit
from service.dao.pack_files import delete_after_commit, forget_pack_files
from service.dao.printing import cancel_batch
from service.dao.requests import _new_pack, _render_after_commit, change_request_status
from service.extensions import db
from service.geo.postcode_directory import local_authority_for
from service.geo.postcodes import parse_postcode
from service.labels import value_label
from service.models import (
    BatchItem,
    BatchStatus,
    Pack,
    PaperRequest,
    PrintBatch,
    PrintFormat,
    RequestStatus,
    StatusChange,
    first_status,
)
from service.models.types import utcnow
from service.working_days import add_working_days

S = RequestStatus
# Before printing: nothing has gone to a printer or a print service yet.
CORRECTABLE = frozenset({S.WAITING_FOR_PACK, S.PACK_READY, S.PACK_FAILED, S.IN_PRINT_BATCH, S.ALTERNATIVE_FORMAT_DUE})
# Before posting: the same, and a request still waiting for its address to be checked.
CANCELLABLE = CORRECTABLE | {S.NEEDS_ADDRESS_CHECK}
UNSENT_BATCH = (BatchStatus.BUILDING, BatchStatus.READY, BatchStatus.FAILED)
CALLER_FIELDS = {
    "name": "name",
    "address_line_1": "address",
    "address_line_2": "address",
    "address_line_3": "address",
    "town": "address",
    "postcode": "address",
    "phone": "phone",
}


class CannotChange(ValueError):
    """The request has gone too far (printed, posted, cancelled) for this change; the message says why."""


@dataclass(frozen=True)
class Correction:
    """A request's details as corrected, already validated by the same rules as the request form."""

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
    reason: str = ""


def unsent_batch_of(request: PaperRequest) -> PrintBatch | None:
    """The print batch not yet sent that holds one of this request's packs, if any."""
    query = (
        select(PrintBatch)
        .join(BatchItem, BatchItem.batch_id == PrintBatch.id)
        .join(Pack, Pack.id == BatchItem.pack_id)
        .where(Pack.request_id == request.id, PrintBatch.status.in_(UNSENT_BATCH))
    )
    return db.session.scalars(query).first()


def _withdraw_from_batch(request: PaperRequest, actor_id: int, actor_label: str) -> None:
    batch = unsent_batch_of(request)
    if batch is not None:
        cancel_batch(batch, actor_id, actor_label)
        record_audit(actor_id, "print_batch.withdrawn_request", "print_batch", batch.id, request_id=request.id)


def _note(request: PaperRequest, actor_id: int, actor_label: str, note: str) -> None:
    """A line in the request's history that is not a change of status."""
    db.session.add(
        StatusChange(
            request_id=request.id,
            from_status=request.status.value,
            to_status=request.status.value,
            actor_id=actor_id,
            actor_label=actor_label,
            note=note,
        )
    )


def _forget_renders(packs: list[Pack]) -> None:
    delete_after_commit(forget_pack_files(packs))
    for pack in packs:
        pack.rendered_at = None
        pack.page_count = None


def _check(request: PaperRequest, allowed: frozenset[RequestStatus], doing: str) -> None:
    if request.status not in allowed:
        raise CannotChange(f"This request is {request.status.label.lower()}: it can no longer be {doing}.")


@transactional
def correct_request(
    request: PaperRequest,
    correction: Correction,
    actor_id: int,
    actor_label: str,
    *,
    today: date,
    working_days_allowed: int,
    made_here: Collection[PrintFormat] = (),
) -> list[str]:
    """Apply a correction before printing; return what changed (empty: nothing did)."""
    _check(request, CORRECTABLE, "corrected")
    caller = request.caller
    changed: list[str] = []
    for field, what in CALLER_FIELDS.items():
        new = getattr(correction, field)
        if (getattr(caller, field) or None) != (new or None):
            setattr(caller, field, new)
            if what not in changed:
                changed.append(what)
    if request.format != correction.format or request.language != correction.language:
        changed.append("format")
    live = request.live_packs
    if correction.copies != len(live):
        changed.append("copies")
    if not changed:
        return []
    if request.status == S.IN_PRINT_BATCH:
        _withdraw_from_batch(request, actor_id, actor_label)
    caller.refresh_keys()
    request.local_authority = local_authority_for(parse_postcode(caller.postcode), request.consultation.area)
    request.format, request.language = correction.format, correction.language
    # References already given stay: extra copies get new ones, fewer copies cancel the last ones.
    for pack in live[correction.copies :]:
        pack.cancelled_at, pack.cancel_reason = utcnow(), f"Copies reduced to {correction.copies}"
    top = max(pack.copy_number for pack in request.packs)
    added = correction.copies - len(live)
    for extra in range(added):
        _new_pack(request.consultation_id, top + extra + 1, request.id)
    if added > 0:
        db.session.expire(request, ["packs"])  # read again with the new copies
    request.copies = correction.copies
    _forget_renders(request.packs)
    request.failure_reason = ""
    note = f"Corrected: {value_label('changed', changed)}" + (f". {correction.reason}" if correction.reason else "")
    # Printed, or braille and audio where this machine has the tools: the worker makes it; otherwise by hand.
    target = first_status(correction.format, True, made_here)
    if target == S.ALTERNATIVE_FORMAT_DUE and request.fulfilment_due_on is None:
        request.fulfilment_due_on = add_working_days(today, working_days_allowed)
    if request.status == target:
        _note(request, actor_id, actor_label, note)
        if target == S.WAITING_FOR_PACK:
            _render_after_commit(request.id)
    else:
        change_request_status(request, target, actor_id, actor_label, note=note)
    record_audit(actor_id, "request.corrected", "request", request.id, changed=",".join(changed))
    return changed


@transactional
def cancel_request(request: PaperRequest, reason: str, actor_id: int, actor_label: str) -> None:
    """Cancel the whole request before posting, with a reason; its packs are thrown away."""
    _check(request, CANCELLABLE, "cancelled")
    if request.status == S.IN_PRINT_BATCH:
        _withdraw_from_batch(request, actor_id, actor_label)
    _forget_renders(request.packs)
    change_request_status(request, S.CANCELLED, actor_id, actor_label, note=f"Cancelled: {reason}")
    record_audit(actor_id, "request.cancelled", "request", request.id)


@transactional
def cancel_copy(request: PaperRequest, pack: Pack, reason: str, actor_id: int, actor_label: str) -> None:
    """Cancel one copy before posting; the others go ahead, with their references."""
    _check(request, CANCELLABLE, "changed")
    if pack.cancelled_at is not None:
        raise CannotChange("That copy is already cancelled.")
    if len(request.live_packs) <= 1:
        raise CannotChange("This is the only copy left: cancel the whole request instead.")
    if request.status == S.IN_PRINT_BATCH:
        _withdraw_from_batch(request, actor_id, actor_label)
    pack.cancelled_at, pack.cancel_reason = utcnow(), reason
    _forget_renders([pack])
    request.copies = len(request.live_packs)
    _note(request, actor_id, actor_label, f"Copy {pack.copy_number} ({pack.reference}) cancelled: {reason}")
    record_audit(actor_id, "pack.cancelled", "request", request.id, copy=pack.copy_number)
