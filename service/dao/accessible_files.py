"""Braille and audio files: saving one for a pack, finding them for screens, erasing them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from service.dao import transactional
from service.dao.consultations import current_questionnaire_version
from service.dao.deliveries import revoke_links_of_packs
from service.dao.requests import change_request_status, claim_waiting_request
from service.extensions import db
from service.models import MADE_WITH_TOOLS, AccessibleFile, Pack, PaperRequest, RequestStatus
from service.models.types import utcnow

MAKER = "Braille and audio worker"
# A request made by the service is on the alternative-formats screen until it is posted.
IN_HAND = (
    RequestStatus.WAITING_FOR_PACK,
    RequestStatus.PACK_FAILED,
    RequestStatus.PACK_READY,
    RequestStatus.IN_PRINT_BATCH,
    RequestStatus.SENT_TO_PRINT,
)


@transactional
def save_accessible_file(
    pack: Pack,
    *,
    file_key: str,
    transcript_key: str | None,
    size_bytes: int,
    braille_pages: int | None,
    duration_seconds: float | None,
    made_in_seconds: float,
) -> AccessibleFile:
    """Record a pack's file (made again after a crash, the same row is updated) and mark the pack made.

    Only for a request still waiting for its pack (RequestChangedMeanwhile otherwise: erased meanwhile)."""
    claim_waiting_request(pack.paper_request.id)
    made = db.session.scalar(select(AccessibleFile).where(AccessibleFile.pack_id == pack.id))
    if made is None:
        made = AccessibleFile(pack_id=pack.id, format=pack.paper_request.format)
        db.session.add(made)
    made.file_key, made.transcript_key = file_key, transcript_key
    made.size_bytes, made.braille_pages, made.duration_seconds = size_bytes, braille_pages, duration_seconds
    made.made_in_seconds, made.made_at = made_in_seconds, utcnow()
    pack.page_count = braille_pages
    pack.rendered_at = made.made_at
    pack.questionnaire_version = current_questionnaire_version(pack.consultation)  # the definition just read out
    return made


@transactional
def hand_over_to_staff(request: PaperRequest, reason: str) -> None:
    """The tools are missing where the job ran: the request joins the list made by hand, saying why."""
    if request.status == RequestStatus.WAITING_FOR_PACK:
        request.failure_reason = f"Made by hand: {reason}"[:300]
        change_request_status(request, RequestStatus.ALTERNATIVE_FORMAT_DUE, None, MAKER, note=reason[:200])


def files_by_pack(pack_ids: list[int]) -> dict[int, AccessibleFile]:
    if not pack_ids:
        return {}
    query = select(AccessibleFile).where(AccessibleFile.pack_id.in_(pack_ids))
    return {made.pack_id: made for made in db.session.scalars(query)}


def get_accessible_file(pack_id: int) -> AccessibleFile | None:
    return db.session.scalar(select(AccessibleFile).where(AccessibleFile.pack_id == pack_id))


def list_made_by_service() -> list[PaperRequest]:
    """Braille and audio requests the service is making or has made, not yet posted; earliest due first."""
    query = (
        select(PaperRequest)
        .where(PaperRequest.format.in_(MADE_WITH_TOOLS), PaperRequest.status.in_(IN_HAND))
        .options(
            selectinload(PaperRequest.packs), joinedload(PaperRequest.caller), joinedload(PaperRequest.consultation)
        )
        .order_by(PaperRequest.fulfilment_due_on, PaperRequest.id)
    )
    return list(db.session.scalars(query))


def erase_files_of_packs(pack_ids) -> set[str]:
    """Forget the braille and audio files of these packs (the letter in them names the caller); return
    their keys so the caller of this deletes them from the store after the commit."""
    revoke_links_of_packs(pack_ids)
    keys: set[str] = set()
    for made in db.session.scalars(select(AccessibleFile).where(AccessibleFile.pack_id.in_(pack_ids))):
        keys |= {key for key in (made.file_key, made.transcript_key) if key}
        made.file_key = made.transcript_key = None
        made.erased_at = made.erased_at or utcnow()
    return keys
