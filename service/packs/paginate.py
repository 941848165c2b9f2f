"""Lay flowables out into pages once, keeping where each one goes, so pages can be drawn again and again."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable

from service.packs.layout import Rect

FUZZ_PT = 1e-6  # platypus's own tolerance, so the benchmark's baseline breaks pages in the same places


class LayoutError(ValueError):
    """Content that cannot fit on an empty page."""


@dataclass(frozen=True)
class Placed:
    """A wrapped flowable and the bottom-left point (in points) where it is drawn."""

    flowable: Flowable
    x: float
    y: float


Page = tuple[Placed, ...]


def paginate(flowables: list[Flowable], first: Rect, rest: Rect, *, max_pages: int | None = None) -> list[Page]:
    """Flow `flowables` into `first`, then `rest` on each following page, as platypus's Frame would."""
    pages: list[Page] = []
    queue = list(flowables)
    frame, placed, y = first, [], first.top
    while queue:
        flowable = queue.pop(0)
        width, height = flowable.wrap(frame.width, y - frame.y)
        if y - height >= frame.y - FUZZ_PT:
            y -= height
            placed.append(Placed(flowable, frame.x, y))
            continue
        parts = flowable.split(frame.width, y - frame.y) if y > frame.y else []
        if parts:
            queue[:0] = parts
            continue
        if not placed:
            raise LayoutError(f"{type(flowable).__name__} is taller than a page ({height:.0f} pt)")
        pages.append(tuple(placed))
        if max_pages is not None and len(pages) >= max_pages:
            raise LayoutError(f"content runs past {max_pages} page(s)")
        queue.insert(0, flowable)
        frame, placed, y = rest, [], rest.top
    if placed:
        pages.append(tuple(placed))
    return pages


def draw_page(canvas, page: Page) -> None:
    """Draw one laid-out page's flowables."""
    for item in page:
        item.flowable.drawOn(canvas, item.x, item.y)
