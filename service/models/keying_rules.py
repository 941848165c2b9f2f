"""The return state machine: every allowed status change, in one table, and who may key which entry.

received ──first entry──> keyed_once ──second entry agrees──> verified
    │                         └──────second entry differs──> in_dispute ──adjudicated──> verified
    └──first entry, single-entry mode, not in the sample──> verified
"""

from __future__ import annotations

from service.models import Keying
from service.models import ReturnStatus as S

# None is "not yet received". A change not listed here is refused.
TRANSITIONS: dict[S | None, frozenset[S]] = {
    None: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.KEYED_ONCE, S.VERIFIED}),
    S.KEYED_ONCE: frozenset({S.VERIFIED, S.IN_DISPUTE}),
    S.IN_DISPUTE: frozenset({S.VERIFIED}),
    S.VERIFIED: frozenset(),
}


class IllegalTransition(ValueError):
    """A status change the state machine does not allow."""


class KeyingRefused(ValueError):
    """This person may not key this return now; the message says why."""


def check_transition(current: S | None, new: S) -> None:
    """Raise IllegalTransition unless a return may move from `current` to `new`."""
    if new not in TRANSITIONS[current]:
        raise IllegalTransition(f"A return cannot go from {current.label if current else 'new'} to {new.label}")


def next_entry_number(status: S, keyings: list[Keying], keyer_id: int) -> int:
    """Return which entry (1 or 2) `keyer_id` would key now, or raise KeyingRefused."""
    if status == S.RECEIVED and not keyings:
        return 1
    if status == S.KEYED_ONCE and len(keyings) == 1:
        if keyings[0].keyer_id == keyer_id:
            raise KeyingRefused(
                "You keyed the first entry of this return. The second entry must be keyed by someone else, "
                "so that keying mistakes are caught."
            )
        return 2
    if status == S.IN_DISPUTE:
        raise KeyingRefused("This return has been keyed twice and the entries differ: a supervisor decides.")
    raise KeyingRefused("This return has already been keyed and verified. Nothing more to key.")


def may_adjudicate(keyings: list[Keying], supervisor_id: int) -> bool:
    """A supervisor adjudicates only returns they keyed neither entry of."""
    return all(k.keyer_id != supervisor_id for k in keyings)
