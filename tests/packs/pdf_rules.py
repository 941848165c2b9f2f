"""The letter rules of issue 4, written down independently of the renderer's own constants, and helpers to
measure a page read back with pdfplumber."""

from __future__ import annotations

MM = 72 / 25.4


class Box:
    """A rectangle in mm from the page's top-left, as the letter rules are written."""

    def __init__(self, left: float, top: float, right: float, bottom: float):
        self.left, self.top, self.right, self.bottom = left, top, right, bottom

    def holds(self, obj: dict, slack_mm: float = 0.01) -> bool:
        return (
            obj["x0"] / MM >= self.left - slack_mm
            and obj["x1"] / MM <= self.right + slack_mm
            and obj["top"] / MM >= self.top - slack_mm
            and obj["bottom"] / MM <= self.bottom + slack_mm
        )

    def touches(self, obj: dict) -> bool:
        return (
            obj["x0"] / MM < self.right
            and obj["x1"] / MM > self.left
            and obj["top"] / MM < self.bottom
            and obj["bottom"] / MM > self.top
        )


WINDOW = Box(24.6, 39.5, 120.0, 66.3)
CONTACT_COLUMN = Box(125.0, 5.0, 195.0, 95.0)
PAGE_1_CLEAR_BAND = Box(0, 30.0, 210.0, 95.0)
PRINTABLE = Box(15.0, 5.0, 195.0, 292.0)


def ink(page) -> list[dict]:
    """Everything drawn on a page: characters (not spaces), rectangles, lines and curves."""
    chars = [c for c in page.chars if c["text"].strip()]
    return chars + page.rects + page.lines + page.curves


def plain(text: str) -> str:
    """Text with no-break spaces as spaces and runs of whitespace collapsed, for matching."""
    return " ".join(text.replace("\u00a0", " ").split())
