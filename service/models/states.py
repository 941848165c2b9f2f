"""The request state machine: every allowed status change, in one table."""

from __future__ import annotations

from service.models import RequestStatus as S

# None is "not yet saved". A change not listed here is refused.
TRANSITIONS: dict[S | None, frozenset[S]] = {
    None: frozenset({S.NEEDS_ADDRESS_CHECK, S.WAITING_FOR_PACK, S.ALTERNATIVE_FORMAT_DUE}),
    S.NEEDS_ADDRESS_CHECK: frozenset({S.WAITING_FOR_PACK, S.ALTERNATIVE_FORMAT_DUE, S.CANCELLED}),
    S.WAITING_FOR_PACK: frozenset({S.PACK_READY, S.PACK_FAILED, S.CANCELLED}),
    S.PACK_FAILED: frozenset({S.WAITING_FOR_PACK, S.CANCELLED}),
    S.PACK_READY: frozenset({S.IN_PRINT_BATCH, S.SENT_TO_PRINT, S.CANCELLED}),  # sent to print: to GOV.UK Notify
    S.IN_PRINT_BATCH: frozenset({S.PACK_READY, S.SENT_TO_PRINT}),  # back to ready when a batch is cancelled
    S.SENT_TO_PRINT: frozenset({S.POSTED, S.PACK_FAILED}),  # failed: a print service refused the letter
    S.POSTED: frozenset({S.PACK_READY}),  # lost in the post: reprinted with the same reference
    S.ALTERNATIVE_FORMAT_DUE: frozenset({S.ALTERNATIVE_FORMAT_SENT, S.CANCELLED}),
    S.ALTERNATIVE_FORMAT_SENT: frozenset(),
    S.CANCELLED: frozenset(),
}


class IllegalTransition(ValueError):
    """A status change the state machine does not allow."""


def check_transition(current: S | None, new: S) -> None:
    """Raise IllegalTransition unless a request may move from `current` to `new`."""
    if new not in TRANSITIONS[current]:
        raise IllegalTransition(f"A request cannot go from {current.label if current else 'new'} to {new.label}")
