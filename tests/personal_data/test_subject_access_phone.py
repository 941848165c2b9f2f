"""Subject access lists what the phone line did for a person too: the text that sent their reference, and
every try at calling them back (when, by whom, what happened)."""

from __future__ import annotations

from datetime import timedelta

from service.dao.calls import NewCall, log_call
from service.dao.privacy import get_caller, subject_access_export
from service.extensions import db
from service.models import CallbackCall, CallbackCallStatus, CallChannel, CallOutcome, ReferenceText, Role, TextStatus
from service.models.types import utcnow
from tests.factories import make_consultation, make_request, make_staff


def test_the_export_lists_the_text_with_the_reference(app_ctx):
    consultation = make_consultation()
    request = make_request(consultation, phone="07700 900123")
    sent = utcnow()
    db.session.add(
        ReferenceText(request_id=request.id, channel=CallChannel.HANDLER, status=TextStatus.DELIVERED, sent_at=sent)
    )
    db.session.commit()
    other = make_request(consultation, name="No Text Asked")
    (with_text,) = subject_access_export(get_caller(request.caller_id))["requests"]
    assert with_text["text_with_reference"]["status"] == "Delivered"
    assert with_text["text_with_reference"]["sent"] == sent.isoformat()
    (without,) = subject_access_export(get_caller(other.caller_id))["requests"]
    assert without["text_with_reference"] is None


def test_the_export_lists_every_try_at_calling_back(app_ctx):
    consultation = make_consultation()
    handler = make_staff(Role.CALL_HANDLER, display_name="Hana Handler")
    call = log_call(
        NewCall(
            consultation_id=consultation.id,
            outcome=CallOutcome.CALLBACK_NEEDED,
            caller_name="Ada Lovelace",
            caller_phone="07700 900456",
            callback_due_at=utcnow(),
        ),
        handler.id,
    )
    first = utcnow() - timedelta(hours=2)
    for status, started_at, seconds in [
        (CallbackCallStatus.NO_ANSWER, first, None),
        (CallbackCallStatus.COMPLETED, utcnow(), 240),
    ]:
        attempt = CallbackCall(
            call_id=call.id, handler_id=handler.id, status=status, started_at=started_at, duration_seconds=seconds
        )
        db.session.add(attempt)
        db.session.flush()
        attempt.live = None  # ended: as the status callback leaves it, so the next try may ring
        db.session.flush()
    db.session.commit()
    (exported,) = subject_access_export(get_caller(call.caller_id))["calls"]
    assert [(t["by"], t["outcome"], t["talked_for_seconds"]) for t in exported["calls_back"]] == [
        ("Hana Handler", "The caller did not answer", None),
        ("Hana Handler", "Spoke to the caller", 240),
    ]
    assert exported["calls_back"][0]["at"] == first.isoformat()
