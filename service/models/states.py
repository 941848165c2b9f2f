"""One small state-machine mechanism for every status column: a table of allowed moves, and its check.

Each status keeps its table beside its model (`REQUEST_STATES`, `RETURN_STATES`, `BATCH_STATES`); the data
layer calls `check` before it writes a new status, so a move not in the table is refused wherever it starts.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Generic, Protocol, TypeVar


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


S = TypeVar("S", bound=enum.Enum)


class IllegalTransition(ValueError):
    """A status change the state machine does not allow."""


class StateMachine(Generic[S]):
    """The allowed status changes of one kind of row. `None` is "not yet saved"; a move not listed is refused."""

    def __init__(self, noun: str, moves: Mapping[S | None, frozenset[S]]) -> None:
        self.noun = noun
        self.moves = dict(moves)

    def allows(self, current: S | None, new: S) -> bool:
        return new in self.moves.get(current, frozenset())

    def sources(self, new: S) -> list[S]:
        """The saved statuses that may move to `new`: the WHERE of a compare-and-set update."""
        return [status for status, targets in self.moves.items() if status is not None and new in targets]

    def check(self, current: S | None, new: S) -> None:
        """Raise IllegalTransition unless a row may move from `current` to `new`."""
        if not self.allows(current, new):
            raise IllegalTransition(f"A {self.noun} cannot go from {_label(current)} to {_label(new)}")


def _label(status: object) -> str:
    return "new" if status is None else str(getattr(status, "label", status))
