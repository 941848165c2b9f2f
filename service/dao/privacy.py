"""Personal data: find everything held about a person, export it, erase it; erase on schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from service.dao import transactional
from service.dao.accessible_files import erase_files_of_packs, files_by_pack
from service.dao.audit import record_audit
from service.dao.corrections import CANCELLABLE, UNSENT_BATCH
from service.dao.deliveries import deliveries_by_pack
from service.dao.pack_files import forget_pack_files as forget_stored_pdfs
from service.dao.phone_responses import (
    erase_recordings,
    phone_responses_of_calls,
    recordings_of_calls,
    recordings_of_consultation,
)
from service.dao.printing import batch_file_key, batch_zip_key, cancel_batch
from service.dao.requests import change_request_status
from service.dao.scans import release_scan_images, scanned_pages_for_subject_access
from service.dao.texts import forget_texts_of_requests
from service.extensions import db
from service.models import (
    AuditEvent,
    AuditEventObject,
    BatchItem,
    BatchStatus,
    Call,
    CallbackCall,
    Caller,
    Consultation,
    IllegalTransition,
    Pack,
    PaperRequest,
    PrintBatch,
    ReferenceText,
    RequestStatus,
    Return,
    StatusChange,
)
from service.models.types import utcnow


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
            "email": caller.email,
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
                "sent": r.delivery.label,
                "sent_by_email_or_text": [
                    {
                        "how": d.channel.label,
                        "status": d.status.value,
                        "sent": d.sent_at.isoformat() if d.sent_at else None,
                        "link_downloads": d.downloads,
                        "link_withdrawn": d.revoked_at.isoformat() if d.revoked_at else None,
                    }
                    for d in deliveries_by_pack([p.id for p in r.packs]).values()
                ],
                "language": r.language,
                "copies": r.copies,
                "notes": r.notes,
                "status": r.status.label,
                "logged": r.created_at.isoformat(),
                "history": history[r.id],
                "text_with_reference": _text_of(r.id),
            }
            for r in requests
        ],
        "calls": [
            {
                "at": c.started_at.isoformat(),
                "channel": c.channel.label,
                "outcome": c.outcome.label if c.outcome else None,
                "notes": c.notes,
                "calls_back": [
                    {
                        "at": attempt.started_at.isoformat(),
                        "by": attempt.handler.display_name,
                        "outcome": attempt.status.label,
                        "talked_for_seconds": attempt.duration_seconds,
                    }
                    for attempt in db.session.scalars(
                        select(CallbackCall).where(CallbackCall.call_id == c.id).order_by(CallbackCall.id)
                    )
                ],
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


def _text_of(request_id: int) -> dict[str, Any] | None:
    """The text message that sent a request's reference, if one was asked for (the number is the caller's)."""
    text = db.session.scalar(select(ReferenceText).where(ReferenceText.request_id == request_id))
    if text is None:
        return None
    return {
        "status": text.status.label,
        "asked_for": text.requested_at.isoformat(),
        "sent": text.sent_at.isoformat() if text.sent_at else None,
        "failure_reason": text.failure_reason or None,
    }


def audit_entries_about(callers: list[Caller]) -> list[AuditEvent]:
    """Every audit entry about these records, their requests and their calls (as its own record or one of
    the further records it names), oldest first."""
    about = [
        ("caller", [c.id for c in callers]),
        ("request", [r.id for c in callers for r in requests_of(c)]),
        ("call", [call.id for c in callers for call in calls_of(c)]),
    ]
    conditions = []
    for kind, ids in about:
        if ids:
            named = select(AuditEventObject.event_id).where(
                AuditEventObject.entity_type == kind, AuditEventObject.entity_id.in_(ids)
            )
            conditions += [
                and_(AuditEvent.entity_type == kind, AuditEvent.entity_id.in_(ids)),
                AuditEvent.id.in_(named),
            ]
    query = (
        select(AuditEvent)
        .where(or_(*conditions))
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(db.session.scalars(query))


def person_records(callers: list[Caller]) -> list[dict[str, Any]]:
    """Everything held about one person, record by record (one per request or call they made)."""
    return [{"record": caller.id, **subject_access_export(caller)} for caller in callers]


# What erasure keeps, and why: said on the screen and in the audit entry the same way.
KEPT = "references, counts, statuses and survey answers"
WHY_KEPT = "so the consultation's reports still add up; none of them says who the person is"
ERASED_NOTE = "Personal data erased: with no name or address it cannot be posted"
RETENTION = "Retention schedule"


@dataclass
class Erasure:
    """What one erasure did: the store files to delete once committed, and what the screen reports."""

    files: set[str] = field(default_factory=set)
    # Batches not yet sent to print that held the person: cancelled, their other packs back to the next run.
    cancelled_batches: dict[int, int] = field(default_factory=dict)  # batch id -> the other packs returned
    # Batches already sent to print or posted: their print file deleted, the rest kept (KEPT).
    printed_batches: list[int] = field(default_factory=list)
    cancelled_requests: list[int] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    def add(self, other: Erasure) -> None:
        self.files |= other.files
        self.cancelled_batches.update(other.cancelled_batches)
        self.printed_batches += [b for b in other.printed_batches if b not in self.printed_batches]
        self.cancelled_requests += other.cancelled_requests
        self.fields += [f for f in other.fields if f not in self.fields]

    def audit_details(self) -> dict[str, Any]:
        return {
            "fields": self.fields,
            "batches_cancelled": sorted(self.cancelled_batches),
            "print_files_deleted": sorted(self.printed_batches),
            "requests_cancelled": sorted(self.cancelled_requests),
        }


def forget_pack_files(pack_ids) -> set[str]:
    """Forget every stored render of these packs (the letter in each names the caller and their address).

    The one place erasure forgets a pack's files: its stored PDF (named by its hash, service/dao/pack_files.py)
    and its braille and audio files. Return the file store keys to delete once the transaction commits.
    """
    pack_ids = list(pack_ids)
    if not pack_ids:
        return set()
    packs = db.session.scalars(select(Pack).where(Pack.id.in_(pack_ids)))
    return forget_stored_pdfs(packs) | erase_files_of_packs(pack_ids)


def _batches_holding(pack_ids: list[int]) -> list[PrintBatch]:
    query = (
        select(PrintBatch)
        .where(PrintBatch.id.in_(select(BatchItem.batch_id).where(BatchItem.pack_id.in_(pack_ids))))
        .order_by(PrintBatch.id)
    )
    return list(db.session.scalars(query))


def batches_holding_caller(caller: Caller) -> tuple[list[PrintBatch], list[PrintBatch]]:
    """The print batches holding this caller's packs: (not yet sent to print, sent to print or posted)."""
    pack_ids = [pack.id for request in requests_of(caller) for pack in request.packs]
    batches = _batches_holding(pack_ids) if pack_ids else []
    return (
        [b for b in batches if b.status in UNSENT_BATCH],
        [b for b in batches if b.status in (BatchStatus.SENT_TO_PRINT, BatchStatus.POSTED) and b.file_key],
    )


def _take_out_of_batches(pack_ids: list[int], actor_id: int | None, actor_label: str) -> Erasure:
    """Every print batch that holds one of these packs: none may still print or keep the person.

    Not yet sent to print (building, ready, failed): the batch is cancelled, through the batch life cycle's
    compare-and-set, and its other packs wait for the next print run. Chosen over rebuilding it without the
    pack: a cancel is one step the life cycle already has and a supervisor already knows, the next run
    rebuilds the others' file anyway, and a copy of the file someone already downloaded is plainly void
    (it belongs to a cancelled batch) rather than looking like the rebuilt one.
    Already sent to print or posted: the print file is no longer needed, so it is deleted; the batch, its
    counts and its packs' statuses stay (KEPT). A cancelled batch's leftover file goes as well.
    """
    done = Erasure()
    for batch in _batches_holding(pack_ids):
        if batch.status in UNSENT_BATCH:
            others = db.session.scalar(
                select(func.count()).where(BatchItem.batch_id == batch.id, BatchItem.pack_id.not_in(pack_ids))
            )
            try:
                cancel_batch(batch, actor_id, actor_label)
                done.cancelled_batches[batch.id] = others or 0
            except IllegalTransition:
                pass  # marked sent to print a moment ago, by someone else: it is a printed batch now
        if batch.status in (BatchStatus.SENT_TO_PRINT, BatchStatus.POSTED):
            done.printed_batches.append(batch.id)
        if batch.file_key:
            done.files.add(batch.file_key)
            batch.file_key = None
        # Where the builder writes, whether or not it finished: a half-written file goes with it.
        done.files |= {batch_file_key(batch.id), batch_zip_key(batch.id)}
    return done


def _hold_requests(caller: Caller) -> None:
    """Hold the caller's request rows until commit before reading their packs: a render job finishing meanwhile
    either saved its files first (and they are read, and deleted, here) or finds the request no longer waiting
    (save_rendered_packs' compare-and-set) and deletes them itself. PostgreSQL: row locks; SQLite: any write
    takes the database's write lock, so a no-op update does."""
    mine = PaperRequest.caller_id == caller.id
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(PaperRequest.id).where(mine).with_for_update())
    else:
        db.session.execute(update(PaperRequest).where(mine).values(id=PaperRequest.id))


def _erase(caller: Caller, actor_id: int | None, actor_label: str) -> Erasure:
    """Blank one caller's personal data everywhere it is held, in place; return what was done and the files."""
    done = Erasure()
    done.fields = [
        label
        for label, held in (
            ("name", caller.name),
            ("address", caller.address_lines),
            ("phone", caller.phone),
            ("email", caller.email),
            ("recorded message", caller.recording_url),
        )
        if held
    ]
    caller.name = caller.address_line_1 = caller.address_line_2 = caller.address_line_3 = caller.town = ""
    caller.postcode = ""
    caller.phone = caller.email = None
    caller.recording_url = None
    caller.name_key = caller.address_key = ""
    caller.erased_at = utcnow()
    _hold_requests(caller)
    requests = requests_of(caller)
    pack_ids = [pack.id for request in requests for pack in request.packs]
    if pack_ids:
        done.add(_take_out_of_batches(pack_ids, actor_id, actor_label))
    for request in requests:
        if request.notes or request.duplicate_reason:
            done.fields += [] if "notes" in done.fields else ["notes"]
        request.notes = request.duplicate_reason = ""
        # Not yet posted: with no address there is nowhere to send it (its batch was cancelled above).
        if request.status in CANCELLABLE:
            change_request_status(request, RequestStatus.CANCELLED, actor_id, actor_label, note=ERASED_NOTE)
            done.cancelled_requests.append(request.id)
    done.files |= release_scan_images(pack_ids)  # handwriting, sometimes a name
    done.files |= forget_pack_files(pack_ids)
    forget_texts_of_requests([request.id for request in requests], utcnow())  # and Twilio's copies of the texts
    calls = calls_of(caller)
    for call in calls:
        if call.notes and "notes" not in done.fields:
            done.fields.append("notes")
        call.notes = ""
    # The caller's voice, answering the survey.
    if erase_recordings(recordings_of_calls([c.id for c in calls])):
        done.fields.append("spoken answers")
    return done


@transactional
def erase_callers(callers: list[Caller], actor_id: int | None, actor_label: str, reason: str) -> Erasure:
    """Erase everything personal held about one person (each of their records); counts, statuses and answers
    stay. One audit entry per record, naming the fields erased, never their values."""
    done = Erasure()
    for caller in callers:
        erased = _erase(caller, actor_id, actor_label)
        record_audit(actor_id, "privacy.erased", "caller", caller.id, reason=reason[:200], **erased.audit_details())
        done.add(erased)
    return done


@dataclass(frozen=True)
class ErasureRecord:
    """When a caller's data was erased, by whom, and what the erasure did (from its audit entry)."""

    at: datetime
    by: str
    details: dict[str, Any]


def erasure_record(caller: Caller) -> ErasureRecord | None:
    """How an erased caller was erased: by a supervisor (their audit entry), else by the retention schedule."""
    if caller.erased_at is None:
        return None
    event = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.action == "privacy.erased", AuditEvent.entity_type == "caller", AuditEvent.entity_id == caller.id
        )
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.id.desc())
    ).first()
    if event is None:
        return ErasureRecord(at=caller.erased_at, by="the retention schedule", details={})
    return ErasureRecord(at=event.at, by=event.actor.display_name if event.actor else RETENTION, details=event.details)


def consultations_past_retention(today: date, retention_days: int) -> list[Consultation]:
    cutoff = today - timedelta(days=retention_days)
    return list(db.session.scalars(select(Consultation).where(Consultation.closes_on < cutoff)))


@transactional
def erase_consultation_personal_data(consultation: Consultation) -> tuple[int, Erasure]:
    """Erase every caller of a consultation past its retention date, by the same steps as one erasure by a
    supervisor; return how many callers, and what was done (with the store files to delete)."""
    request_callers = select(PaperRequest.caller_id).where(PaperRequest.consultation_id == consultation.id)
    call_callers = select(Call.caller_id).where(Call.consultation_id == consultation.id, Call.caller_id.is_not(None))
    callers = db.session.scalars(
        select(Caller).where(
            Caller.erased_at.is_(None), or_(Caller.id.in_(request_callers), Caller.id.in_(call_callers))
        )
    ).all()
    done = Erasure()
    for caller in callers:
        done.add(_erase(caller, None, RETENTION))
    # Every batch of the consultation, blank packs' too: none is needed once the consultation is long closed.
    all_packs = list(db.session.scalars(select(Pack.id).where(Pack.consultation_id == consultation.id)))
    if all_packs:
        done.add(_take_out_of_batches(all_packs, None, RETENTION))
    recordings = erase_recordings(recordings_of_consultation(consultation.id))
    # Scans of every pack of the consultation, blank packs too: handwriting is personal whoever wrote it.
    done.files |= release_scan_images(select(Pack.id).where(Pack.consultation_id == consultation.id))
    # Packs never requested by anyone (blank packs) hold nothing personal; notes on calls without a caller may.
    for call in db.session.scalars(select(Call).where(Call.consultation_id == consultation.id, Call.notes != "")):
        call.notes = ""
    if callers or recordings:
        record_audit(
            None,
            "retention.erased",
            "consultation",
            consultation.id,
            callers=len(callers),
            recordings=recordings,
            **done.audit_details(),
        )
    return len(callers), done
