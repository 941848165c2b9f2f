"""The figures on the supervisors' dashboard, for one consultation. Counts only: no personal data."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from service.extensions import db
from service.models import (
    MADE_WITH_TOOLS,
    AccessibleFile,
    Call,
    CallChannel,
    CallOutcome,
    Consultation,
    DeliveryStatus,
    FileDelivery,
    Pack,
    PaperRequest,
    PrintFormat,
    RequestStatus,
    Return,
    ReturnStatus,
    StatusChange,
)
from service.models.consultations import UK

WAITING = (
    RequestStatus.NEEDS_ADDRESS_CHECK,
    RequestStatus.WAITING_FOR_PACK,
    RequestStatus.PACK_READY,
    RequestStatus.IN_PRINT_BATCH,
    RequestStatus.PACK_FAILED,
)
NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class Dashboard:
    requests_by_day: list[tuple[date, dict[CallChannel, int]]]
    requests_by_format: list[tuple[str, int]]
    requests_by_authority: list[tuple[str, int]]
    packs: dict[str, int]
    returns: dict[str, int]
    median_days_to_post: float | None
    alternative_formats: dict[str, int]
    made_by_service: list[tuple[str, dict[str, int]]]
    callbacks: dict[str, int]

    @property
    def total_requests(self) -> int:
        return sum(count for _, count in self.requests_by_format)


def _requests_by_day(consultation_id: int) -> list[tuple[date, dict[CallChannel, int]]]:
    rows = db.session.execute(
        select(PaperRequest.created_at, PaperRequest.channel).where(PaperRequest.consultation_id == consultation_id)
    )
    days: dict[date, Counter] = {}
    for created_at, channel in rows:
        days.setdefault(created_at.astimezone(UK).date(), Counter())[channel] += 1  # days are UK days
    return [(day, {channel: days[day][channel] for channel in CallChannel}) for day in sorted(days)]


def _requests_by_format(consultation_id: int) -> list[tuple[str, int]]:
    query = (
        select(PaperRequest.format, func.count())
        .where(PaperRequest.consultation_id == consultation_id)
        .group_by(PaperRequest.format)
    )
    counts = dict(db.session.execute(query).all())
    return [(f.label, counts.get(f, 0)) for f in PrintFormat]


def _requests_by_authority(consultation: Consultation) -> list[tuple[str, int]]:
    """Each local authority the consultation serves (none left out), then every other address as one row.

    A consultation that names no areas serves wherever its callers are: each authority found, then those not known.
    """
    query = (
        select(PaperRequest.local_authority, func.count())
        .where(PaperRequest.consultation_id == consultation.id)
        .group_by(PaperRequest.local_authority)
    )
    counts: Counter[str] = Counter()
    for authority, n in db.session.execute(query):
        if authority is not None and consultation.serves(authority):
            counts[authority] += n
        else:
            counts[consultation.outside_label if consultation.areas else NOT_KNOWN] += n
    if consultation.areas:
        names = [*consultation.areas, consultation.outside_label]
    else:
        names = [*sorted(name for name in counts if name != NOT_KNOWN), NOT_KNOWN]
    return [(name, counts[name]) for name in names]


def _packs(consultation_id: int) -> dict[str, int]:
    query = (
        select(PaperRequest.status, func.count(Pack.id))
        .join(Pack, Pack.request_id == PaperRequest.id)
        .where(PaperRequest.consultation_id == consultation_id)
        .group_by(PaperRequest.status)
    )
    by_status = dict(db.session.execute(query).all())
    return {
        "waiting": sum(by_status.get(s, 0) for s in WAITING),
        "printed": by_status.get(RequestStatus.SENT_TO_PRINT, 0),
        "posted": by_status.get(RequestStatus.POSTED, 0),
    }


def _returns(consultation_id: int) -> dict[str, int]:
    base = select(func.count(Return.id)).where(Return.consultation_id == consultation_id)
    by_status = dict(
        db.session.execute(
            select(Return.status, func.count(Return.id))
            .where(Return.consultation_id == consultation_id)
            .group_by(Return.status)
        ).all()
    )
    return {
        "received": db.session.scalar(base) or 0,
        "keyed": sum(
            by_status.get(s, 0) for s in (ReturnStatus.KEYED_ONCE, ReturnStatus.VERIFIED, ReturnStatus.IN_DISPUTE)
        ),
        "verified": by_status.get(ReturnStatus.VERIFIED, 0),
        "in_dispute": by_status.get(ReturnStatus.IN_DISPUTE, 0),
        "late": db.session.scalar(base.where(Return.is_late.is_(True))) or 0,
        "unreferenced": db.session.scalar(base.where(Return.pack_id.is_(None))) or 0,
    }


def _median_days_to_post(consultation_id: int) -> float | None:
    query = (
        select(PaperRequest.created_at, func.min(StatusChange.at))
        .join(StatusChange, StatusChange.request_id == PaperRequest.id)
        .where(PaperRequest.consultation_id == consultation_id, StatusChange.to_status == RequestStatus.POSTED.value)
        .group_by(PaperRequest.id, PaperRequest.created_at)
    )
    days = [(_aware(posted) - _aware(created)).total_seconds() / 86400 for created, posted in db.session.execute(query)]
    return round(statistics.median(days), 1) if days else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _alternative_formats(consultation_id: int, today: date) -> dict[str, int]:
    due = PaperRequest.status == RequestStatus.ALTERNATIVE_FORMAT_DUE
    base = select(func.count(PaperRequest.id)).where(PaperRequest.consultation_id == consultation_id, due)
    return {
        "due": db.session.scalar(base.where(PaperRequest.fulfilment_due_on >= today)) or 0,
        "overdue": db.session.scalar(base.where(PaperRequest.fulfilment_due_on < today)) or 0,
    }


# Braille and audio copies (packs) the service makes itself, by where they are; made by hand counted apart.
MADE_BY_SERVICE_COLUMNS = {
    "made": "made",
    "waiting": "waiting to be made",
    "failed": "failed",
    "in_print": "ready or in print",
    "posted": "posted",
    "sent": "sent by email or text",
    "by_hand": "made by hand",
}
_IN_PRINT = (RequestStatus.PACK_READY, RequestStatus.IN_PRINT_BATCH, RequestStatus.SENT_TO_PRINT)
_BY_HAND = (RequestStatus.ALTERNATIVE_FORMAT_DUE, RequestStatus.ALTERNATIVE_FORMAT_SENT)


def _made_by_service(consultation_id: int) -> list[tuple[str, dict[str, int]]]:
    """Per format the service can make: copies made (files, erased ones too), waiting, failed, in print, posted,
    sent by email or text, and those that went to the list made by hand (no tools where the job ran)."""
    sent_electronically = (FileDelivery.status == DeliveryStatus.SENT).label("sent")
    live = (
        select(PaperRequest.format, PaperRequest.status, sent_electronically, func.count(Pack.id))
        .join(Pack, Pack.request_id == PaperRequest.id)
        .outerjoin(FileDelivery, FileDelivery.pack_id == Pack.id)
        .where(
            PaperRequest.consultation_id == consultation_id,
            PaperRequest.format.in_(MADE_WITH_TOOLS),
            Pack.cancelled_at.is_(None),
        )
        .group_by(PaperRequest.format, PaperRequest.status, sent_electronically)
    )
    by_status: Counter = Counter()
    for print_format, status, sent, n in db.session.execute(live):
        by_status[(print_format, "sent" if sent else status)] += n
    made = (
        select(AccessibleFile.format, func.count(AccessibleFile.id))
        .join(Pack, Pack.id == AccessibleFile.pack_id)
        .where(Pack.consultation_id == consultation_id)
        .group_by(AccessibleFile.format)
    )
    made_counts = dict(db.session.execute(made).all())

    def count(print_format: PrintFormat, statuses) -> int:
        return sum(by_status.get((print_format, s), 0) for s in statuses)

    return [
        (
            f.label,
            {
                "made": made_counts.get(f, 0),
                "waiting": count(f, (RequestStatus.WAITING_FOR_PACK,)),
                "failed": count(f, (RequestStatus.PACK_FAILED,)),
                "in_print": count(f, _IN_PRINT),
                "posted": count(f, (RequestStatus.POSTED,)),
                "sent": count(f, ("sent",)),
                "by_hand": count(f, _BY_HAND),
            },
        )
        for f in MADE_WITH_TOOLS
    ]


def _callbacks(consultation_id: int, now: datetime) -> dict[str, int]:
    open_ = select(func.count(Call.id)).where(
        Call.consultation_id == consultation_id,
        Call.outcome == CallOutcome.CALLBACK_NEEDED,
        Call.callback_done_at.is_(None),
    )
    return {
        "open": db.session.scalar(open_) or 0,
        "due": db.session.scalar(open_.where(Call.callback_due_at <= now)) or 0,
    }


def get_dashboard(consultation_id: int, now: datetime) -> Dashboard:
    """Every figure on the dashboard for one consultation, as at `now`."""
    today = now.astimezone(UK).date()
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise LookupError(f"no consultation {consultation_id}")
    return Dashboard(
        requests_by_day=_requests_by_day(consultation_id),
        requests_by_format=_requests_by_format(consultation_id),
        requests_by_authority=_requests_by_authority(consultation),
        packs=_packs(consultation_id),
        returns=_returns(consultation_id),
        median_days_to_post=_median_days_to_post(consultation_id),
        alternative_formats=_alternative_formats(consultation_id, today),
        made_by_service=_made_by_service(consultation_id),
        callbacks=_callbacks(consultation_id, now),
    )
