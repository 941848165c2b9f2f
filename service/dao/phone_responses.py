"""Surveys answered by phone: start, answer (compare-and-set on the position), record, finish, check, export."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, NoResultFound
from sqlalchemy.orm import selectinload

from service.dao import rows_changed, transactional
from service.dao.audit import record_audit
from service.extensions import db
from service.models import (
    PHONE_RESPONSE_STATES,
    Call,
    CallOutcome,
    Pack,
    PhoneRecording,
    PhoneResponse,
    PhoneResponseStatus,
)
from service.models.returns import Answers
from service.models.types import utcnow
from service.reference import new_reference


def get_phone_response(response_id: int) -> PhoneResponse | None:
    query = (
        select(PhoneResponse)
        .where(PhoneResponse.id == response_id)
        .options(selectinload(PhoneResponse.recordings))
        .execution_options(populate_existing=True)
    )
    return db.session.scalar(query)


def load_phone_response(response_id: int) -> PhoneResponse:
    """The phone response `response_id`, which the call under way has: NoResultFound if it is gone."""
    response = get_phone_response(response_id)
    if response is None:
        raise NoResultFound(f"no phone response {response_id}")
    return response


def get_phone_response_by_reference(reference: str) -> PhoneResponse | None:
    return db.session.scalar(select(PhoneResponse).where(PhoneResponse.reference == reference))


def get_phone_response_by_first_call(call_id: int) -> PhoneResponse | None:
    return db.session.scalar(select(PhoneResponse).where(PhoneResponse.first_call_id == call_id))


def _unused_reference() -> str:
    """A reference no pack and no phone response has (the unique constraint still decides a race)."""
    while True:
        reference = new_reference()
        taken = db.session.scalar(select(func.count(Pack.id)).where(Pack.reference == reference))
        if not taken:
            return reference


@transactional
def _insert_phone_response(consultation_id: int, questionnaire_version: int, call_id: int) -> PhoneResponse:
    response = PhoneResponse(
        consultation_id=consultation_id,
        reference=_unused_reference(),
        questionnaire_version=questionnaire_version,
        status=PhoneResponseStatus.ANSWERING,
        position=0,
        answers={},
        first_call_id=call_id,
    )
    db.session.add(response)
    db.session.flush()
    return response


def start_phone_response(consultation_id: int, questionnaire_version: int, call_id: int) -> PhoneResponse:
    """Start the survey of call `call_id`; a retried webhook gets the one already started (one per call)."""
    try:
        return _insert_phone_response(consultation_id, questionnaire_version, call_id)
    except IntegrityError:
        existing = get_phone_response_by_first_call(call_id)
        if existing is None:
            raise  # a reference clash, rarer than a lottery win: the caller hears an apology and rings again
        return existing


def _move(response_id: int, expected_position: int, values: dict) -> bool:
    """Change a response only if it is still at `expected_position` (the answer is to the question now asked)."""
    result = rows_changed(
        update(PhoneResponse)
        .where(
            PhoneResponse.id == response_id,
            PhoneResponse.position == expected_position,
            PhoneResponse.status == PhoneResponseStatus.ANSWERING,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result == 1


@transactional
def record_phone_answer(
    response: PhoneResponse, expected_position: int, new_position: int, answers: Answers | None = None
) -> bool:
    """Keep an answer (or just move back a question); False when another webhook moved the response first."""
    values: dict = {"position": new_position}
    if answers is not None:
        values["answers"] = answers
    return _move(response.id, expected_position, values)


@transactional
def record_spoken_answer(
    response: PhoneResponse,
    expected_position: int,
    call_id: int,
    question_code: str,
    recording: tuple[str | None, str, int | None],
) -> bool:
    """Keep the recording of a spoken answer (replacing one made before) and move on to the next question."""
    sid, url, duration = recording
    # The answer itself waits for a person; an earlier "skipped" for this question no longer stands.
    answers = {code: value for code, value in response.answers.items() if code != question_code}
    if not _move(response.id, expected_position, {"position": expected_position + 1, "answers": answers}):
        return False
    existing = db.session.scalar(
        select(PhoneRecording).where(
            PhoneRecording.response_id == response.id, PhoneRecording.question_code == question_code
        )
    )
    if existing is None:
        existing = PhoneRecording(response_id=response.id, question_code=question_code)
        db.session.add(existing)
    existing.call_id, existing.recording_sid, existing.recording_url = call_id, sid, url
    existing.duration_seconds, existing.draft_text, existing.draft_status = duration, "", "pending"
    existing.created_at, existing.erased_at = utcnow(), None
    return True


@transactional
def record_transcription(recording_sid: str, text: str, status: str) -> bool:
    """Keep Twilio's transcription of a recording as the draft answer; False for a recording we do not hold."""
    recording = db.session.scalar(select(PhoneRecording).where(PhoneRecording.recording_sid == recording_sid))
    if recording is None or recording.erased_at is not None:
        return False
    recording.draft_text = text
    recording.draft_status = status
    return True


@transactional
def finish_phone_response(response: PhoneResponse, total_questions: int, call: Call) -> PhoneResponseStatus:
    """Every question asked: verified at once unless spoken answers wait for a person to check them."""
    db.session.refresh(response)
    if response.status == PhoneResponseStatus.ANSWERING and response.position >= total_questions:
        spoken = any(r.recording_url for r in response.recordings if response.answers.get(r.question_code) is None)
        new = PhoneResponseStatus.AWAITING_CHECK if spoken else PhoneResponseStatus.VERIFIED
        PHONE_RESPONSE_STATES.check(response.status, new)
        response.status = new
        response.finished_at = utcnow()
        if call.outcome in (None, CallOutcome.INCOMPLETE):
            call.outcome = CallOutcome.SURVEY_ANSWERED
            call.notes = "Answered the survey by phone."
    return response.status


def list_phone_responses_to_check(limit: int = 200) -> list[PhoneResponse]:
    """Finished phone responses whose spoken answers wait for a person, oldest first."""
    query = (
        select(PhoneResponse)
        .where(PhoneResponse.status == PhoneResponseStatus.AWAITING_CHECK)
        .options(selectinload(PhoneResponse.recordings), selectinload(PhoneResponse.consultation))
        .order_by(PhoneResponse.finished_at, PhoneResponse.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


@transactional
def save_phone_check(response_id: int, typed: Answers, actor_id: int) -> bool:
    """Keep the spoken answers as a person typed them and verify the response; False if it was already checked."""
    # Compare-and-set: only a response still awaiting its check moves (awaiting_check -> verified in the table).
    checked = rows_changed(
        update(PhoneResponse)
        .where(PhoneResponse.id == response_id, PhoneResponse.status == PhoneResponseStatus.AWAITING_CHECK)
        .values(status=PhoneResponseStatus.VERIFIED, checked_by_id=actor_id, checked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if checked != 1:
        return False
    response = db.session.get_one(PhoneResponse, response_id)
    response.answers = {**response.answers, **typed}
    record_audit(actor_id, "phone_response.checked", "phone_response", response_id, questions=sorted(typed))
    return True


def list_verified_phone_responses(consultation_id: int) -> list[PhoneResponse]:
    query = (
        select(PhoneResponse)
        .where(PhoneResponse.consultation_id == consultation_id, PhoneResponse.status == PhoneResponseStatus.VERIFIED)
        .order_by(PhoneResponse.id)
    )
    return list(db.session.scalars(query))


def recordings_of_calls(call_ids: Iterable[int]) -> list[PhoneRecording]:
    """Spoken answers recorded on these calls (personal data: the caller's voice)."""
    ids = list(call_ids)
    if not ids:
        return []
    query = select(PhoneRecording).where(PhoneRecording.call_id.in_(ids)).order_by(PhoneRecording.id)
    return list(db.session.scalars(query))


def phone_responses_of_calls(call_ids: Iterable[int]) -> list[PhoneResponse]:
    """Phone responses started or continued on these calls."""
    ids = list(call_ids)
    if not ids:
        return []
    continued = select(PhoneRecording.response_id).where(PhoneRecording.call_id.in_(ids))
    query = (
        select(PhoneResponse)
        .where((PhoneResponse.first_call_id.in_(ids)) | (PhoneResponse.id.in_(continued)))
        .order_by(PhoneResponse.id)
    )
    return list(db.session.scalars(query))


def erase_recordings(recordings: Iterable[PhoneRecording]) -> int:
    """Forget recordings and their drafts (call inside the erasing transaction); answers already checked stay."""
    count = 0
    for recording in recordings:
        if recording.erased_at is None:
            recording.recording_url = None
            recording.draft_text = ""
            recording.erased_at = utcnow()
            count += 1
    return count


def recordings_of_consultation(consultation_id: int) -> list[PhoneRecording]:
    query = (
        select(PhoneRecording)
        .join(PhoneRecording.response)
        .where(PhoneResponse.consultation_id == consultation_id, PhoneRecording.erased_at.is_(None))
    )
    return list(db.session.scalars(query))
