"""Who may key which entry of a return, and who may adjudicate it (the status table is `RETURN_STATES`)."""

from __future__ import annotations

from service.models.returns import Keying
from service.models.returns import ReturnStatus as S


class KeyingRefused(ValueError):
    """This person may not key this return now; the message says why."""


def next_entry_number(status: S, keyings: list[Keying], keyer_id: int | None) -> int:
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
