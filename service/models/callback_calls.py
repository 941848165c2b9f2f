"""Callbacks with one click: Twilio rings the handler's own phone, then connects the caller.

No phone number is kept here: the handler's is on their staff profile, the caller's on their `Caller` row,
and both are read when the call is made, so erasing the caller leaves nothing personal in this table.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.states import StateMachine
from service.models.types import UTCDateTime, enum_type, utcnow


class CallbackCallStatus(enum.StrEnum):
    RINGING_HANDLER = "ringing_handler"
    RINGING_CALLER = "ringing_caller"
    COMPLETED = "completed"  # the caller answered and they spoke: the callback is done
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"
    HANDLER_MISSED = "handler_missed"  # the handler's own phone was not answered (or 1 was not pressed)

    @property
    def label(self) -> str:
        return CALLBACK_CALL_LABELS[self]

    @property
    def live(self) -> bool:
        return self in (CallbackCallStatus.RINGING_HANDLER, CallbackCallStatus.RINGING_CALLER)


CALLBACK_CALL_LABELS = {
    CallbackCallStatus.RINGING_HANDLER: "Ringing the handler's phone",
    CallbackCallStatus.RINGING_CALLER: "Ringing the caller",
    CallbackCallStatus.COMPLETED: "Spoke to the caller",
    CallbackCallStatus.NO_ANSWER: "The caller did not answer",
    CallbackCallStatus.BUSY: "The caller's line was busy",
    CallbackCallStatus.FAILED: "The call failed",
    CallbackCallStatus.HANDLER_MISSED: "The handler's phone was not answered",
}

C = CallbackCallStatus
CALLBACK_CALL_STATES = StateMachine[CallbackCallStatus](
    "callback call",
    {
        None: frozenset({C.RINGING_HANDLER}),
        C.RINGING_HANDLER: frozenset({C.RINGING_CALLER, C.HANDLER_MISSED, C.FAILED}),
        C.RINGING_CALLER: frozenset({C.COMPLETED, C.NO_ANSWER, C.BUSY, C.FAILED}),
        C.COMPLETED: frozenset(),
        C.NO_ANSWER: frozenset(),
        C.BUSY: frozenset(),
        C.FAILED: frozenset(),
        C.HANDLER_MISSED: frozenset(),
    },
)
del C


class CallbackCall(Model):
    """One try at a callback: the handler's phone rung by Twilio, then the caller's."""

    __tablename__ = "callback_calls"
    __table_args__ = (
        # At most one live try per callback, said by the database: `live` is true while ringing and NULL
        # after (NULLs never clash), so two handlers clicking at once ring one phone.
        UniqueConstraint("call_id", "live", name="uq_callback_calls_one_live"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)  # the callback's call
    handler_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    status: Mapped[CallbackCallStatus] = mapped_column(
        enum_type(CallbackCallStatus), default=CallbackCallStatus.RINGING_HANDLER
    )
    live: Mapped[bool | None] = mapped_column(default=True)
    handler_call_sid: Mapped[str | None] = mapped_column(String(34), unique=True)  # Twilio's, for the first leg
    error_code: Mapped[int | None]
    duration_seconds: Mapped[int | None]  # of the conversation with the caller
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    call = relationship("Call")
    handler = relationship("StaffUser")
