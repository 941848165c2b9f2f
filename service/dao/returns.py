"""Returned forms: receiving them, keying them twice, adjudicating, and the figures and export built on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from service.dao import transactional
from service.dao.audit import record_audit
from service.dao.paging import Page, page_of
from service.extensions import db
from service.models import (
    RETURN_STATES,
    Adjudication,
    Consultation,
    Keying,
    KeyingMode,
    Pack,
    PaperRequest,
    PrintFormat,
    Return,
    ReturnStatus,
    StaffUser,
)
from service.models.keying_rules import next_entry_number
from service.models.returns import Answers
from service.models.types import utcnow
from service.questionnaires.compare import disagreements, final_answers
from service.questionnaires.definition import Questionnaire
from service.questionnaires.sample import in_verification_sample


def _move(ret: Return, new: ReturnStatus, actor_id: int | None) -> None:
    """Change a return's status if the state machine allows, and record who and when."""
    old = ret.status
    RETURN_STATES.check(old, new)
    ret.status = new
    if new == ReturnStatus.VERIFIED:
        ret.verified_at = utcnow()
    record_audit(actor_id, "return.status_changed", "return", ret.id, from_status=old.value, to_status=new.value)


def _with_everything(query):
    return query.options(
        joinedload(Return.pack).joinedload(Pack.request),
        joinedload(Return.consultation),
        joinedload(Return.received_by),
        selectinload(Return.keyings).joinedload(Keying.keyer),
        selectinload(Return.adjudications).joinedload(Adjudication.supervisor),
    )


def get_return(return_id: int) -> Return | None:
    return db.session.scalar(_with_everything(select(Return).where(Return.id == return_id)))


def list_returns_for_reference(reference: str) -> list[Return]:
    """Every return of the pack with this reference, first received first (later ones are duplicates)."""
    query = select(Return).join(Pack, Return.pack_id == Pack.id).where(Pack.reference == reference)
    return list(db.session.scalars(_with_everything(query).order_by(Return.id)))


def _original_return(pack_id: int) -> Return | None:
    query = select(Return).where(Return.pack_id == pack_id, Return.duplicate_of_id.is_(None)).order_by(Return.id)
    return db.session.scalar(query)


def receive_return(
    consultation: Consultation, pack: Pack | None, received_on: date, is_late: bool, actor_id: int | None
) -> Return:
    """Record a returned form; a pack already returned gets a new return flagged as its duplicate.

    Two receipts of one pack at the same moment both look, find no original and write one; the database's
    one-original index refuses the second. Called on its own, it then looks again and is recorded as the
    duplicate; inside a caller's transaction the error goes up, for the caller to run its whole work again.
    """
    if db.session.info.get("in_transaction"):
        return _record_return(consultation, pack, received_on, is_late, actor_id)
    try:
        return _record_return(consultation, pack, received_on, is_late, actor_id)
    except IntegrityError:
        return _record_return(consultation, pack, received_on, is_late, actor_id)


@transactional
def receive_original_return(
    consultation: Consultation, pack: Pack, received_on: date, is_late: bool, actor_id: int | None
) -> Return:
    """Record the pack's first return, never a duplicate: if another process has just recorded one, the
    one-original index refuses this (IntegrityError), and the caller reads into that one instead.

    For pages of one form scanned by two processes at once: looking for the original and then, not finding
    it, looking again inside `receive_return` could see it the second time (SQLite reads outside a snapshot
    until the first write) and make the form a duplicate of itself.
    """
    return _record_return(consultation, pack, received_on, is_late, actor_id, as_original=True)


@transactional
def _record_return(
    consultation: Consultation,
    pack: Pack | None,
    received_on: date,
    is_late: bool,
    actor_id: int | None,
    as_original: bool = False,
) -> Return:
    original = _original_return(pack.id) if pack is not None and not as_original else None
    ret = Return(
        consultation_id=consultation.id,
        pack_id=pack.id if pack else None,
        received_on=received_on,
        received_by_id=actor_id,
        is_late=is_late,
        duplicate_of_id=original.id if original else None,
        status=ReturnStatus.RECEIVED,
    )
    db.session.add(ret)
    db.session.flush()
    RETURN_STATES.check(None, ReturnStatus.RECEIVED)
    record_audit(
        actor_id,
        "return.received",
        "return",
        ret.id,
        referenced=pack is not None,
        late=is_late,
        duplicate_of=original.id if original else None,
    )
    return ret


@transactional
def save_keying(
    return_id: int,
    keyer_id: int | None,
    answers: Answers,
    started_at: datetime,
    questionnaire: Questionnaire,
    source: str = "keyed",
) -> Keying:
    """Save one entry (never over another), then verify, ask for a second entry, or mark the return in dispute.

    An entry read from a scan (`source="scanned"`) counts as one entry like any other; its keyer is the person
    who finished verifying it, or None when the machine was sure of every box.
    Raises KeyingRefused when this person may not key this return now.
    """
    # Lock the return so two keyers saving at once are taken one after the other.
    query = select(Return).where(Return.id == return_id).with_for_update()
    ret = db.session.scalars(query.execution_options(populate_existing=True)).one()
    keyings = list(db.session.scalars(select(Keying).where(Keying.return_id == return_id).order_by(Keying.id)))
    entry_number = next_entry_number(ret.status, keyings, keyer_id)
    keying = Keying(
        return_id=ret.id,
        keyer_id=keyer_id,
        entry_number=entry_number,
        answers=answers,
        questionnaire_version=questionnaire.version,
        started_at=started_at,
        source=source,
    )
    db.session.add(keying)
    db.session.flush()
    scanned: dict[str, Any] = {"source": source} if source != "keyed" else {}
    record_audit(keyer_id, "return.keyed", "return", ret.id, entry=entry_number, **scanned)
    if entry_number == 1:
        consultation = db.session.get_one(Consultation, ret.consultation_id)
        ret.second_entry_required = consultation.keying_mode == KeyingMode.DOUBLE or in_verification_sample(
            ret.id, consultation.verification_sample_percent
        )
        if ret.second_entry_required:
            _move(ret, ReturnStatus.KEYED_ONCE, keyer_id)
        else:
            ret.final_answers = final_answers(questionnaire, answers)
            _move(ret, ReturnStatus.VERIFIED, keyer_id)
        return keying
    differences = disagreements(questionnaire, keyings[0].answers, answers)
    ret.disagreement_count = len(differences)
    if differences:
        _move(ret, ReturnStatus.IN_DISPUTE, keyer_id)
    else:
        ret.final_answers = final_answers(questionnaire, keyings[0].answers)
        _move(ret, ReturnStatus.VERIFIED, keyer_id)
    return keying


@dataclass(frozen=True)
class Decision:
    question_code: str
    chosen_from: str  # "entry_1", "entry_2" or "typed"
    value: str


@transactional
def adjudicate(ret: Return, decisions: list[Decision], supervisor_id: int, questionnaire: Questionnaire) -> None:
    """Record a supervisor's answer to every disagreement and verify the return with them."""
    for decision in decisions:
        db.session.add(
            Adjudication(
                return_id=ret.id,
                question_code=decision.question_code,
                chosen_from=decision.chosen_from,
                value=decision.value,
                supervisor_id=supervisor_id,
            )
        )
    chosen = {d.question_code: d.value for d in decisions}
    ret.final_answers = final_answers(questionnaire, ret.entry(1).answers, chosen)
    record_audit(
        supervisor_id,
        "return.adjudicated",
        "return",
        ret.id,
        decisions={d.question_code: d.chosen_from for d in decisions},
    )
    _move(ret, ReturnStatus.VERIFIED, supervisor_id)


@transactional
def set_keying_mode(consultation: Consultation, mode: KeyingMode, sample_percent: int, actor_id: int) -> None:
    """Choose double entry, or single entry with a verification sample, for a consultation's returns."""
    consultation.keying_mode = mode
    consultation.verification_sample_percent = sample_percent
    record_audit(
        actor_id,
        "consultation.keying_mode_set",
        "consultation",
        consultation.id,
        keying_mode=mode.value,
        verification_sample_percent=sample_percent,
    )


@dataclass(frozen=True)
class ReturnSearch:
    status: ReturnStatus | None = None
    consultation_id: int | None = None
    page: int = 1


def search_returns(criteria: ReturnSearch) -> Page[Return]:
    """One page of returns, newest first, and how many match."""
    conditions = []
    if criteria.status:
        conditions.append(Return.status == criteria.status)
    if criteria.consultation_id:
        conditions.append(Return.consultation_id == criteria.consultation_id)
    query = _with_everything(select(Return).where(*conditions)).order_by(Return.id.desc())
    return page_of(query, criteria.page, count_query=select(Return.id).where(*conditions))


def _scoped(query, consultation_id: int | None):
    return query.where(Return.consultation_id == consultation_id) if consultation_id else query


def count_returns(consultation_id: int | None = None) -> dict[str, int]:
    """How many returns were received, are waiting, keyed once, verified, in dispute, late, unreferenced, duplicates."""
    query = _scoped(select(Return.status, func.count(Return.id)), consultation_id).group_by(Return.status)
    by_status = {status: n for status, n in db.session.execute(query)}

    def count(*conditions) -> int:
        return db.session.scalar(_scoped(select(func.count(Return.id)).where(*conditions), consultation_id)) or 0

    return {
        "received": sum(by_status.values()),
        "waiting": by_status.get(ReturnStatus.RECEIVED, 0),
        "keyed_once": by_status.get(ReturnStatus.KEYED_ONCE, 0),
        "verified": by_status.get(ReturnStatus.VERIFIED, 0),
        "in_dispute": by_status.get(ReturnStatus.IN_DISPUTE, 0),
        "late": count(Return.is_late.is_(True)),
        "unreferenced": count(Return.pack_id.is_(None)),
        "duplicates": count(Return.duplicate_of_id.is_not(None)),
    }


def list_keying_times(consultation_id: int | None = None) -> list[tuple[StaffUser, datetime, datetime]]:
    """(keyer, started, saved) for every keying."""
    query = select(StaffUser, Keying.started_at, Keying.saved_at).join(Keying.keyer).join(Keying.return_)
    return [tuple(row) for row in db.session.execute(_scoped(query, consultation_id))]


def list_compared_keyings(consultation_id: int | None = None) -> list[tuple[int, int]]:
    """(keyer id, fields in disagreement) for every keying of a return whose two entries were compared."""
    query = (
        select(Keying.keyer_id, Return.disagreement_count)
        .join(Keying.return_)
        .where(Return.disagreement_count.is_not(None))
    )
    return [tuple(row) for row in db.session.execute(_scoped(query, consultation_id))]


def list_verified_returns(consultation_id: int) -> list[Return]:
    """Verified returns of one consultation, oldest first, with just what the export needs."""
    query = (
        select(Return)
        .where(Return.consultation_id == consultation_id, Return.status == ReturnStatus.VERIFIED)
        .options(
            joinedload(Return.pack).joinedload(Pack.request).load_only(PaperRequest.local_authority),
            selectinload(Return.keyings),  # for the version of a form with no reference
        )
        .order_by(Return.id)
    )
    return list(db.session.scalars(query))


@transactional
def record_export(actor_id: int, consultation_id: int, file_format: str, rows: int) -> None:
    """Audit an export of responses."""
    record_audit(actor_id, "returns.exported", "consultation", consultation_id, format=file_format, rows=rows)


def list_unreturned_demo_packs(limit: int = 5, *, printed_only: bool = False) -> list[Pack]:
    """Packs of demonstration consultations with no return yet, for a newcomer to try receiving; with
    `printed_only`, only packs printed on paper here (a braille or audio copy has no page to scan)."""
    returned = select(Return.pack_id).where(Return.pack_id.is_not(None))
    query = select(Pack).join(Pack.consultation).where(Consultation.is_demo.is_(True), Pack.id.not_in(returned))
    if printed_only:
        printed = [f for f in PrintFormat if f.printed_here]
        query = query.outerjoin(Pack.request).where(or_(Pack.request_id.is_(None), PaperRequest.format.in_(printed)))
    return list(db.session.scalars(query.order_by(Pack.id).limit(limit)))


def count_demo_returns(consultation_id: int) -> int:
    return db.session.scalar(select(func.count(Return.id)).where(Return.consultation_id == consultation_id)) or 0
