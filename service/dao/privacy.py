"""Personal data: find everything held about a person, export it, erase it; erase on schedule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from service.dao import transactional
from service.dao.accessible_files import erase_files_of_packs, files_by_pack
from service.dao.audit import record_audit
from service.dao.pack_files import forget_pack_files
from service.dao.phone_responses import (
    erase_recordings,
    phone_responses_of_calls,
    recordings_of_calls,
    recordings_of_consultation,
)
from service.dao.scans import release_scan_images, scanned_pages_for_subject_access
from service.extensions import db
from service.geo.phones import EXTENSION_SEPARATOR
from service.models import (
    BatchItem,
    BatchStatus,
    Call,
    Caller,
    Consultation,
    Pack,
    PaperRequest,
    PrintBatch,
    Return,
    StatusChange,
)
from service.models.types import utcnow
from service.text import match_key


def find_callers(name: str = "", postcode: str = "", phone: str | None = None) -> list[Caller]:
    """Callers (not yet erased) matching any of a name (part), a postcode or a phone number (E.164)."""
    conditions = []
    if name.strip():
        conditions.append(Caller.name_key.contains(match_key(name), autoescape=True))
    if postcode.strip():
        conditions.append(func.replace(Caller.postcode, " ", "") == "".join(postcode.split()).upper())
    if phone:
        # The number alone also finds it stored with an extension.
        conditions.append(or_(Caller.phone == phone, Caller.phone.startswith(phone + EXTENSION_SEPARATOR)))
    if not conditions:
        return []
    query = (
        select(Caller).where(Caller.erased_at.is_(None), or_(*conditions)).order_by(Caller.name, Caller.id).limit(200)
    )
    return list(db.session.scalars(query))


def get_caller(caller_id: int) -> Caller | None:
    return db.session.get(Caller, caller_id)


def requests_of(caller: Caller) -> list[PaperRequest]:
    query = (
        select(PaperRequest)
        .where(PaperRequest.caller_id == caller.id)
        .options(selectinload(PaperRequest.packs))
        .order_by(PaperRequest.id)
    )
    return list(db.session.scalars(query))


def calls_of(caller: Caller) -> list[Call]:
    """Calls logged against this caller, and the calls their requests came from."""
    request_calls = select(PaperRequest.call_id).where(
        PaperRequest.caller_id == caller.id, PaperRequest.call_id.is_not(None)
    )
    query = select(Call).where(or_(Call.caller_id == caller.id, Call.id.in_(request_calls))).order_by(Call.started_at)
    return list(db.session.scalars(query))


def subject_access_export(caller: Caller) -> dict[str, Any]:
    """Everything held about one caller, for a subject access request."""
    requests = requests_of(caller)
    pack_ids = [p.id for r in requests for p in r.packs]
    returns = list(db.session.scalars(select(Return).where(Return.pack_id.in_(pack_ids)))) if pack_ids else []
    history = {
        r.id: [
            {"at": c.at.isoformat(), "status": c.to_status, "note": c.note}
            for c in db.session.scalars(
                select(StatusChange).where(StatusChange.request_id == r.id).order_by(StatusChange.at)
            )
        ]
        for r in requests
    }
    call_ids = [c.id for c in calls_of(caller)]
    recordings = {(r.response_id, r.question_code): r for r in recordings_of_calls(call_ids)}
    return {
        "exported_at": utcnow().isoformat(),
        "personal_details": {
            "name": caller.name,
            "address": caller.address_lines,
            "phone": caller.phone,
            "recorded_message": caller.recording_url,
            "first_recorded": caller.created_at.isoformat(),
        },
        "requests": [
            {
                "consultation": r.consultation.title,
                "references": [p.reference for p in r.packs],
                "braille_or_audio_files": [
                    {"file": f"{made.pack.reference}.{made.extension}", "made": made.made_at.isoformat()}
                    for made in files_by_pack([p.id for p in r.packs]).values()
                    if made.erased_at is None
                ],
                "format": r.format.label,
                "language": r.language,
                "copies": r.copies,
                "notes": r.notes,
                "status": r.status.label,
                "logged": r.created_at.isoformat(),
                "history": history[r.id],
            }
            for r in requests
        ],
        "calls": [
            {
                "at": c.started_at.isoformat(),
                "channel": c.channel.label,
                "outcome": c.outcome.label if c.outcome else None,
                "notes": c.notes,
            }
            for c in calls_of(caller)
        ],
        "surveys_answered_by_phone": [
            {
                "reference": response.reference,
                "consultation": response.consultation.title,
                "status": response.status.label,
                "answers": response.answers,
                "spoken_answers": [
                    {
                        "question": r.question_code,
                        "recording": r.recording_url,
                        "transcription": r.draft_text,
                        "recorded": r.created_at.isoformat(),
                    }
                    for (response_id, _), r in sorted(recordings.items())
                    if response_id == response.id and r.erased_at is None
                ],
            }
            for response in phone_responses_of_calls(call_ids)
        ],
        "returned_forms": [
            {"received_on": r.received_on.isoformat(), "status": r.status.value, "answers": r.final_answers}
            for r in returns
        ],
        "scanned_pages": scanned_pages_for_subject_access(pack_ids),
    }


def _release_printed_files(batch_ids) -> set[str]:
    """Print files of batches already printed are no longer needed: forget them, so they can be deleted.

    A batch not yet sent to print keeps its file (the pack is still to be posted); cancel it to remove it.
    """
    query = select(PrintBatch).where(
        PrintBatch.id.in_(batch_ids),
        PrintBatch.status.in_([BatchStatus.SENT_TO_PRINT, BatchStatus.POSTED, BatchStatus.CANCELLED]),
    )
    files = set()
    for batch in db.session.scalars(query):
        if batch.file_key:
            files.add(batch.file_key)
            batch.file_key = None
    return files


def _erase(caller: Caller) -> set[str]:
    """Blank one caller's personal data in place; return the print files that hold it."""
    caller.name = caller.address_line_1 = caller.address_line_2 = caller.address_line_3 = caller.town = ""
    caller.postcode = ""
    caller.phone = None
    caller.recording_url = None
    caller.name_key = caller.address_key = ""
    caller.erased_at = utcnow()
    files: set[str] = set()
    for request in requests_of(caller):
        request.notes = request.duplicate_reason = ""
        files |= release_scan_images([pack.id for pack in request.packs])  # handwriting, sometimes a name
        files |= forget_pack_files(request.packs)  # the letter in each carries the name and address
        for pack in request.packs:
            files |= _release_printed_files(select(BatchItem.batch_id).where(BatchItem.pack_id == pack.id))
        files |= erase_files_of_packs([pack.id for pack in request.packs])  # braille and audio letters too
    calls = calls_of(caller)
    for call in calls:
        call.notes = ""
    erase_recordings(recordings_of_calls([c.id for c in calls]))  # the caller's voice, answering the survey
    return files


@transactional
def erase_caller(caller: Caller, actor_id: int | None, reason: str) -> set[str]:
    """Erase everything personal held about one caller; counts, statuses and answers stay."""
    files = _erase(caller)
    record_audit(actor_id, "privacy.erased", "caller", caller.id, reason=reason[:200])
    return files


def consultations_past_retention(today: date, retention_days: int) -> list[Consultation]:
    cutoff = today - timedelta(days=retention_days)
    return list(db.session.scalars(select(Consultation).where(Consultation.closes_on < cutoff)))


@transactional
def erase_consultation_personal_data(consultation: Consultation) -> tuple[int, set[str]]:
    """Erase every caller of a consultation past its retention date; return how many, and the print files."""
    request_callers = select(PaperRequest.caller_id).where(PaperRequest.consultation_id == consultation.id)
    call_callers = select(Call.caller_id).where(Call.consultation_id == consultation.id, Call.caller_id.is_not(None))
    callers = db.session.scalars(
        select(Caller).where(
            Caller.erased_at.is_(None), or_(Caller.id.in_(request_callers), Caller.id.in_(call_callers))
        )
    ).all()
    files: set[str] = set()
    for caller in callers:
        files |= _erase(caller)
    files |= _release_printed_files(select(PrintBatch.id).where(PrintBatch.consultation_id == consultation.id))
    recordings = erase_recordings(recordings_of_consultation(consultation.id))
    # Scans of every pack of the consultation, blank packs too: handwriting is personal whoever wrote it.
    files |= release_scan_images(select(Pack.id).where(Pack.consultation_id == consultation.id))
    # Packs never requested by anyone (blank packs) hold nothing personal; notes on calls without a caller may.
    for call in db.session.scalars(select(Call).where(Call.consultation_id == consultation.id, Call.notes != "")):
        call.notes = ""
    if callers or recordings:
        record_audit(
            None, "retention.erased", "consultation", consultation.id, callers=len(callers), recordings=recordings
        )
    return len(callers), files
