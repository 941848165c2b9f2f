"""Keyboard-only helpers: reach things with Tab, as someone without a mouse does."""

from __future__ import annotations

MAX_TABS = 40


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {id: e.id, name: e.name || '', tag: e.tagName.toLowerCase(), text: (e.innerText || '').trim()}; }"""
    )


def tab_to(page, *, id: str | None = None, text: str | None = None) -> int:
    """Press Tab until the element with `id` (or a button/link with `text`) has focus; return how many presses."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        now = focused(page)
        if (id and now["id"] == id) or (text and now["text"] == text):
            return presses
    raise AssertionError(f"Tab never reached {id or text!r}")


def focus_order(page, stop_id: str) -> list[str]:
    """Tab from the current focus to `stop_id`, returning the ids (or names) passed on the way."""
    order = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        order.append(now["id"] or now["name"] or now["text"])
        if now["id"] == stop_id:
            return order
    raise AssertionError(f"Tab never reached {stop_id!r}; went {order}")
