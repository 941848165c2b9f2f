"""Requests waiting for a call handler to check the address (phone menu: unsure speech, or a recorded address)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from service.dao import transactional
from service.dao.audit import record_audit
from service.dao.requests import change_request_status
from service.extensions import db
from service.geo.postcodes import local_authority_for, parse_postcode
from service.models import PaperRequest, PrintFormat, RequestStatus, first_status


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
    request.local_authority = local_authority_for(parse_postcode(checked.postcode))
    record_audit(actor_id, "request.address_checked", "request", request.id, changed=changed)
    note = f"Address corrected ({', '.join(changed)})" if changed else "Address confirmed as heard"
    change_request_status(request, first_status(request.format, True, made_here), actor_id, actor_label, note)
    return changed
