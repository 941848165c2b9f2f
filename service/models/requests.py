"""Requests for paper copies, and the packs (one per copy, each with its own reference)."""

from __future__ import annotations

import enum
from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.extensions import Model
from service.models.calls import CallChannel
from service.models.deliveries import Delivery
from service.models.states import StateMachine
from service.models.types import UTCDateTime, enum_type, utcnow


class PrintFormat(enum.StrEnum):
    STANDARD = "standard"
    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"
    BRAILLE = "braille"
    AUDIO = "audio"
    OTHER_LANGUAGE = "other_language"

    @property
    def label(self) -> str:
        return PRINT_FORMAT_LABELS[self]

    @property
    def printed_here(self) -> bool:
        """Say whether the service prints this format itself; the others are fulfilled by hand."""
        return self in (PrintFormat.STANDARD, PrintFormat.LARGE_PRINT)


# Formats the service can make itself (braille, audio) when the operating system's tools are there.
MADE_WITH_TOOLS = (PrintFormat.BRAILLE, PrintFormat.AUDIO)

PRINT_FORMAT_LABELS = {
    PrintFormat.STANDARD: "Standard print",
    PrintFormat.LARGE_PRINT: "Large print",
    PrintFormat.EASY_READ: "Easy read",
    PrintFormat.BRAILLE: "Braille",
    PrintFormat.AUDIO: "Audio",
    PrintFormat.OTHER_LANGUAGE: "Another language",
}


class RequestStatus(enum.StrEnum):
    NEEDS_ADDRESS_CHECK = "needs_address_check"
    WAITING_FOR_PACK = "waiting_for_pack"
    PACK_READY = "pack_ready"
    IN_PRINT_BATCH = "in_print_batch"
    SENT_TO_PRINT = "sent_to_print"
    POSTED = "posted"
    PACK_FAILED = "pack_failed"
    ALTERNATIVE_FORMAT_DUE = "alternative_format_due"
    ALTERNATIVE_FORMAT_SENT = "alternative_format_sent"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return REQUEST_STATUS_LABELS[self]


REQUEST_STATUS_LABELS = {
    RequestStatus.NEEDS_ADDRESS_CHECK: "Needs address check",
    RequestStatus.WAITING_FOR_PACK: "Waiting for pack",
    RequestStatus.PACK_READY: "Pack ready to print",
    RequestStatus.IN_PRINT_BATCH: "In a print batch",
    RequestStatus.SENT_TO_PRINT: "Sent to print",
    RequestStatus.POSTED: "Posted",
    RequestStatus.PACK_FAILED: "Pack failed",
    RequestStatus.ALTERNATIVE_FORMAT_DUE: "Alternative format due",
    RequestStatus.ALTERNATIVE_FORMAT_SENT: "Alternative format sent",
    RequestStatus.CANCELLED: "Cancelled",
}

S = RequestStatus
REQUEST_STATES = StateMachine[RequestStatus](
    "request",
    {
        None: frozenset({S.NEEDS_ADDRESS_CHECK, S.WAITING_FOR_PACK, S.ALTERNATIVE_FORMAT_DUE}),
        S.NEEDS_ADDRESS_CHECK: frozenset({S.WAITING_FOR_PACK, S.ALTERNATIVE_FORMAT_DUE, S.CANCELLED}),
        # To alternative format due: braille or audio whose tools are missing where the worker ran.
        # Needs address check: an address saved before intake checked the postal rules, found at pack time.
        S.WAITING_FOR_PACK: frozenset(
            {S.PACK_READY, S.PACK_FAILED, S.NEEDS_ADDRESS_CHECK, S.ALTERNATIVE_FORMAT_DUE, S.CANCELLED}
        ),
        S.PACK_FAILED: frozenset({S.WAITING_FOR_PACK, S.NEEDS_ADDRESS_CHECK, S.ALTERNATIVE_FORMAT_DUE, S.CANCELLED}),
        # Back to waiting, or to made by hand: corrected before printing (the pack is made again).
        # Sent to print: by a provider. Alternative format sent, or failed: braille or audio the caller asked to
        # have by email or text, sent or refused.
        S.PACK_READY: frozenset(
            {
                S.IN_PRINT_BATCH,
                S.SENT_TO_PRINT,
                S.WAITING_FOR_PACK,
                S.ALTERNATIVE_FORMAT_DUE,
                S.ALTERNATIVE_FORMAT_SENT,
                S.PACK_FAILED,
                S.CANCELLED,
            }
        ),
        S.IN_PRINT_BATCH: frozenset({S.PACK_READY, S.SENT_TO_PRINT}),  # back to ready when a batch is cancelled
        # failed: a print service refused the letter; in a print batch: "sent to print" undone the same day
        S.SENT_TO_PRINT: frozenset({S.POSTED, S.PACK_FAILED, S.IN_PRINT_BATCH}),
        S.POSTED: frozenset({S.PACK_READY}),  # lost in the post: reprinted with the same reference
        S.ALTERNATIVE_FORMAT_DUE: frozenset({S.ALTERNATIVE_FORMAT_SENT, S.WAITING_FOR_PACK, S.CANCELLED}),
        S.ALTERNATIVE_FORMAT_SENT: frozenset(),
        S.CANCELLED: frozenset(),
    },
)
del S


def first_status(
    print_format: PrintFormat, address_confirmed: bool = True, made_here: Collection[PrintFormat] = ()
) -> RequestStatus:
    """The status a new request starts in. `made_here`: the formats of MADE_WITH_TOOLS whose tools this
    machine has (service/accessible_formats/tools.py); the worker makes those, the rest are made by hand."""
    if not address_confirmed:
        return RequestStatus.NEEDS_ADDRESS_CHECK
    if print_format.printed_here or print_format in made_here:
        return RequestStatus.WAITING_FOR_PACK
    return RequestStatus.ALTERNATIVE_FORMAT_DUE


class PaperRequest(Model):
    """One caller's request for paper copies of one consultation's survey."""

    __tablename__ = "requests"
    __table_args__ = (
        CheckConstraint("copies BETWEEN 1 AND 5", name="copies_1_to_5"),
        Index("ix_requests_consultation_created", "consultation_id", "created_at"),
        Index("ix_requests_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    caller_id: Mapped[int] = mapped_column(ForeignKey("callers.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)
    channel: Mapped[CallChannel] = mapped_column(enum_type(CallChannel), default=CallChannel.HANDLER)
    format: Mapped[PrintFormat] = mapped_column(enum_type(PrintFormat))
    language: Mapped[str] = mapped_column(String(80), default="")  # for another language: which
    copies: Mapped[int] = mapped_column(default=1)
    # Braille or audio made by the service: posted in the print run, or sent by email or text (models/deliveries).
    delivery: Mapped[Delivery] = mapped_column(enum_type(Delivery), default=Delivery.POST, server_default="post")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(enum_type(RequestStatus))
    is_late: Mapped[bool] = mapped_column(default=False)
    # Kept on the request (not the caller) so reports survive erasure of personal data.
    local_authority: Mapped[str | None] = mapped_column(String(40), index=True)
    duplicate_reason: Mapped[str] = mapped_column(Text, default="")
    fulfilment_due_on: Mapped[date | None]
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    # Phone-menu requests: one per call, so a retried webhook can never make a second (unique, not checked first).
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    consultation = relationship("Consultation")
    caller = relationship("Caller")
    call = relationship("Call")
    created_by = relationship("StaffUser")
    packs: Mapped[list[Pack]] = relationship(back_populates="request", order_by="Pack.copy_number")

    @property
    def outside_area(self) -> bool:
        """An address outside the local authorities the consultation serves (accepted, and counted apart)."""
        return not self.consultation.serves(self.local_authority)

    @property
    def area_label(self) -> str:
        """The local authority as shown on screen, or that the address is outside the consultation's area."""
        if not self.outside_area:
            return self.local_authority or ""
        outside = self.consultation.outside_label
        return f"{self.local_authority} ({outside[0].lower()}{outside[1:]})" if self.local_authority else outside

    @property
    def live_packs(self) -> list[Pack]:
        """The copies still to be sent: not cancelled one by one."""
        return [pack for pack in self.packs if pack.cancelled_at is None]

    @property
    def first_reference(self) -> str | None:
        """The reference quoted to the caller: the first copy's."""
        return self.packs[0].reference if self.packs else None


class Pack(Model):
    """One printed copy and its reference; blank packs (handed out at events) have no request."""

    __tablename__ = "packs"
    __table_args__ = (UniqueConstraint("provider", "provider_reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    copy_number: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The rendered PDF lives in the file store (shared by every web and worker process), named by the SHA-256
    # of its bytes; the row keeps only what finds and checks it (service/packs/files.py).
    file_key: Mapped[str | None] = mapped_column(String(100), index=True)
    file_size: Mapped[int | None]
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    page_count: Mapped[int | None]
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    print_round: Mapped[int] = mapped_column(default=1)  # goes up when a pack lost in the post is reprinted
    # Posted by a print provider itself (PRINT_PROVIDER, e.g. "notify") instead of from a local print batch:
    # which one (set when the pack is ready, so no print run takes it), its reference for the letter and the
    # last status it gave. NULL provider: the pack goes into the next print run's files.
    provider: Mapped[str | None] = mapped_column(String(40))
    provider_reference: Mapped[str | None] = mapped_column(String(100))
    provider_status: Mapped[str | None] = mapped_column(String(40))
    provider_status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # One copy cancelled before posting (its reference stays on record, never printed).
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Blank packs: the one-time key of the form that made them, so submitting it again gives the same
    # packs (the same PDF) instead of as many again.
    form_key: Mapped[str | None] = mapped_column(String(64), index=True)
    # The questionnaire version the pack was drawn with (set when it is rendered, or made as a blank pack):
    # the export says which version each returned form was printed with.
    questionnaire_version: Mapped[int | None]

    request: Mapped[PaperRequest | None] = relationship(back_populates="packs")
    consultation = relationship("Consultation")

    @property
    def paper_request(self) -> PaperRequest:
        """The request this copy was made for, where only a caller's copy can be (a blank pack has none)."""
        if self.request is None:
            raise LookupError(f"pack {self.id} is a blank pack: it has no request")
        return self.request
