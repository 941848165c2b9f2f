"""The one table `make bench` prints: each figure beside its same-run baseline, the ratio, the target."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    measure: str
    value: str
    baseline: str = "-"
    ratio: float | None = None
    target: str = "-"
    met: bool | None = None

    @property
    def met_text(self) -> str:
        return "-" if self.met is None else ("yes" if self.met else "NO")

    @property
    def ratio_text(self) -> str:
        if self.ratio is None or math.isnan(self.ratio) or math.isinf(self.ratio):
            return "-"
        return f"{self.ratio:.2f}x"


@dataclass(frozen=True)
class Heading:
    text: str
    how: str = ""  # how it was measured: printed under the table, not in it


def number(value: float, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return "n/a"
    return f"{value:,.{digits}f}"


def ratio(value: float, baseline: float) -> float | None:
    if not baseline or math.isnan(baseline) or math.isnan(value):
        return None
    return value / baseline


def render(rows: list[Row | Heading]) -> str:
    """A markdown table, columns padded to line up in a terminal; headings become bold section rows."""
    header = ("measure", "value", "baseline (same run)", "ratio", "target", "met?")
    cells = [header]
    for row in rows:
        if isinstance(row, Heading):
            cells.append((f"**{row.text}**", "", "", "", "", ""))
        else:
            cells.append((row.measure, row.value, row.baseline, row.ratio_text, row.target, row.met_text))
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    right = {1, 3}  # numbers line up on the right

    def line(values: tuple[str, ...]) -> str:
        padded = [v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(cells[0]), rule, *(line(c) for c in cells[1:])])
