"""Local print: every pack goes into the print files a print run makes for the print house (the default)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.print_providers import Sent


class LocalPrint:
    name = "local"
    label = "Local print"
    max_pages: int | None = None  # takes no pack itself: the print run's batches carry them all
    posted_statuses: frozenset[str] = frozenset()  # a print batch is marked posted on its own screen
    failed_statuses: frozenset[str] = frozenset()

    def __init__(self, config: Mapping[str, Any]) -> None:
        pass

    def send(self, pack_reference: str, print_round: int, pdf: bytes) -> Sent:
        raise LookupError("Local print takes packs through print runs, never one by one")

    def status(self, provider_reference: str) -> str | None:
        raise LookupError("Local print has no letters of its own to ask about")


PROVIDER = LocalPrint
