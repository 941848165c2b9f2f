"""One menu call's state, kept in the database by CallSid so any web process can answer the next step.

`calls.menu_step` is the question last asked; `calls.menu_answers` holds the menu's own bookkeeping (tries,
speech confidence, choices), never personal values. What the caller says (name, address, the recording) is
kept on the call's `Caller` row, the one table for personal data.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm.attributes import flag_modified
from werkzeug.datastructures import MultiDict

from service.dao.menu_calls import save_menu_call
from service.ivr.speech import confidence_of
from service.models import Call, Caller, Consultation

# Names of what was collected, for an incomplete call's note in the call log (names only, never values).
COLLECTED_FIELDS = (
    ("name", "name"),
    ("postcode", "postcode"),
    ("address_line_1", "house number or name"),
    ("address_line_2", "street"),
    ("town", "town"),
    ("recording_url", "recorded message"),
)


@dataclass
class Turn:
    """One webhook for one call: what the caller just did, and the call's state to read and change."""

    call: Call
    params: MultiDict
    now: datetime
    answers: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A deep copy: changing nested answers in place would hide the change from SQLAlchemy.
        self.answers = copy.deepcopy(self.call.menu_answers or {})

    @property
    def consultation(self) -> Consultation:
        return self.call.consultation

    @property
    def caller(self) -> Caller:
        if self.call.caller is None:
            self.call.caller = Caller()
        return self.call.caller

    @property
    def digits(self) -> str:
        return (self.params.get("Digits") or "").strip()

    @property
    def speech(self) -> str:
        return (self.params.get("SpeechResult") or "").strip()

    @property
    def confidence(self) -> float:
        return confidence_of(self.params.get("Confidence"))

    @property
    def heard_something(self) -> bool:
        return bool(self.digits or self.speech)

    @property
    def unsure(self) -> bool:
        """Say whether the last speech was recognised with too little confidence to post to unchecked."""
        return self.confidence < current_app.config["SPEECH_CONFIDENCE_THRESHOLD"]

    def note_confidence(self, answer: str) -> None:
        self.answers.setdefault("confidence", {})[answer] = round(self.confidence, 2)
        if self.unsure:
            self.answers["unsure"] = sorted({*self.answers.get("unsure", []), answer})

    def save(self, step: str | None) -> None:
        """Record the question now being asked and everything this turn changed."""
        self.call.menu_step = step
        self.call.menu_answers = copy.deepcopy(self.answers)
        flag_modified(self.call, "menu_answers")
        save_menu_call(self.call)


def collected_names(call: Call) -> list[str]:
    caller = call.caller
    if caller is None:
        return []
    return [label for attribute, label in COLLECTED_FIELDS if getattr(caller, attribute)]


def hung_up_note(call: Call) -> str:
    """The call log's note for a call that ended half-way: where, and which answers it had (names only)."""
    collected = collected_names(call)
    where = (call.menu_step or "the welcome").replace("_", " ")
    return f"Caller hung up at: {where}. Collected: {', '.join(collected) if collected else 'nothing'}."
