"""Requests waiting for a call handler to check the address (phone menu: unsure speech, or a recorded address)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from service.dao import transactional
from service.dao.audit import record_audit
from service.dao.requests import change_request_status
from service.extensions import db
from service.geo.postcode_directory import local_authority_for
from service.geo.postcodes import parse_postcode
from service.labels import value_label
from service.models import (
    Call,
    CallChannel,
    CallOutcome,
    PaperRequest,
    PrintFormat,
    RequestStatus,
    StatusChange,
    first_status,
)
from service.reference import format_reference


@dataclass(frozen=True)
class CheckedAddress:
    """The name and address as the handler confirmed or corrected them, already validated."""

    name: str
    address_line_1: str
    address_line_2: str
    address_line_3: str
    town: str
    postcode: str


def list_address_checks() -> list[PaperRequest]:
    """Requests that need an address check, oldest first."""
    query = (
        select(PaperRequest)
        .where(PaperRequest.status == RequestStatus.NEEDS_ADDRESS_CHECK)
        .options(
            selectinload(PaperRequest.packs),
            joinedload(PaperRequest.caller),
            joinedload(PaperRequest.call),
            joinedload(PaperRequest.consultation),
        )
        .order_by(PaperRequest.created_at, PaperRequest.id)
    )
    return list(db.session.scalars(query))


@transactional
def confirm_request_address(
    request: PaperRequest,
    checked: CheckedAddress,
    actor_id: int,
    actor_label: str,
    made_here: Collection[PrintFormat] = (),
) -> list[str]:
    """Save the checked address and let the request go on (to printing, or to the alternative-format list);
    `made_here`: the braille and audio formats this machine makes itself."""
    caller = request.caller
    changed = [f.name for f in fields(checked) if getattr(caller, f.name) != getattr(checked, f.name)]
    for name in changed:
        setattr(caller, name, getattr(checked, name))
    caller.refresh_keys()
    request.local_authority = local_authority_for(parse_postcode(checked.postcode), request.consultation.area)
    record_audit(actor_id, "request.address_checked", "request", request.id, changed=changed)
    note = f"Address corrected ({value_label('changed', changed)})" if changed else "Address confirmed as heard"
    change_request_status(request, first_status(request.format, True, made_here), actor_id, actor_label, note)
    return changed


class NoWayToCallBack(ValueError):
    """The caller gave no phone number, so a callback cannot be booked."""


@transactional
def cannot_confirm_address(request: PaperRequest, actor_id: int, actor_label: str, due_at: datetime) -> Call:
    """The handler cannot make out the address: the request waits on the callback list, with the recording."""
    caller = request.caller
    if not caller.phone:
        raise NoWayToCallBack("There is no phone number to call the caller back on.")
    query = select(Call).where(
        Call.caller_id == caller.id, Call.outcome == CallOutcome.CALLBACK_NEEDED, Call.callback_done_at.is_(None)
    )
    callback = db.session.scalars(query).first()
    if callback is None:
        callback = Call(
            consultation_id=request.consultation_id,
            channel=CallChannel.HANDLER,
            handler_id=actor_id,
            caller=caller,
            outcome=CallOutcome.CALLBACK_NEEDED,
            callback_due_at=due_at,
            notes=(
                f"Address not confirmed for request {request.id} (reference {format_reference(request.packs[0].reference)})."
                " Call back, take the address, then confirm it under Address checks."
            ),
        )
        db.session.add(callback)
        db.session.add(
            StatusChange(
                request_id=request.id,
                from_status=request.status.value,
                to_status=request.status.value,
                actor_id=actor_id,
                actor_label=actor_label,
                note="Address cannot be confirmed: waiting on the callback list with the recording",
            )
        )
        record_audit(actor_id, "request.address_not_confirmed", "request", request.id)
    return callback
