"""Progress figures: returns at each stage, and each keyer's speed and agreement with the other keyer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from service.dao.returns import count_returns, list_compared_keyings, list_keying_times


@dataclass(frozen=True)
class KeyerFigures:
    keyer_id: int
    name: str
    forms_keyed: int
    hours_keying: float
    forms_compared: int
    forms_agreed: int

    @property
    def forms_per_hour(self) -> float | None:
        return self.forms_keyed / self.hours_keying if self.hours_keying else None

    @property
    def agreement_rate(self) -> float | None:
        """The share of this keyer's double-keyed forms on which the other keyer agreed in every field."""
        return self.forms_agreed / self.forms_compared if self.forms_compared else None


def stage_counts(consultation_id: int | None = None) -> dict[str, int]:
    return count_returns(consultation_id)


def keyer_figures(consultation_id: int | None = None) -> list[KeyerFigures]:
    """One line per keyer, by name: forms keyed, forms per hour of keying time, agreement rate."""
    names: dict[int, str] = {}
    keyed: dict[int, int] = defaultdict(int)
    seconds: dict[int, float] = defaultdict(float)
    for keyer, started, saved in list_keying_times(consultation_id):
        names[keyer.id] = keyer.display_name
        keyed[keyer.id] += 1
        seconds[keyer.id] += max(0.0, (saved - started).total_seconds())
    compared: dict[int, int] = defaultdict(int)
    agreed: dict[int, int] = defaultdict(int)
    for keyer_id, disagreement_count in list_compared_keyings(consultation_id):
        compared[keyer_id] += 1
        agreed[keyer_id] += disagreement_count == 0
    figures = [KeyerFigures(k, names[k], keyed[k], seconds[k] / 3600, compared[k], agreed[k]) for k in names]
    return sorted(figures, key=lambda f: f.name)
