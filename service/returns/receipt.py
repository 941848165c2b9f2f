"""Receipt: turn what a scanner or a person typed into a pack, and record the form as returned."""

from __future__ import annotations

import re
from datetime import date

from service.dao.requests import get_pack_by_reference
from service.dao.returns import receive_return
from service.models import Consultation, Pack, Return
from service.reference import LENGTH, InvalidReference, format_reference, parse_reference

# Barcodes on each page carry the page too, as `4829135570-03`; the pack is the part before the dash.
_PAGE_SUFFIX = re.compile(r"^(?P<reference>.*\d)\s*-\s*\d{1,2}\s*$")


class UnknownReference(LookupError):
    """A well-formed reference that no pack has."""


def reference_from_scan(text: str) -> str:
    """Return the ten-digit reference in a scan or typed entry, dropping a page suffix; or raise InvalidReference."""
    text = (text or "").strip()
    match = _PAGE_SUFFIX.match(text)
    if match and sum(ch.isdigit() for ch in match["reference"]) == LENGTH:
        text = match["reference"]
    return parse_reference(text)


def find_pack(text: str) -> Pack:
    """Return the pack for a scanned or typed reference, or raise InvalidReference / UnknownReference."""
    reference = reference_from_scan(text)
    pack = get_pack_by_reference(reference)
    if pack is None:
        raise UnknownReference(
            f"No pack has the reference {format_reference(reference)}. Check it against the form, "
            "or receive the form as one with no readable reference."
        )
    return pack


def receive(consultation: Consultation, pack: Pack | None, received_on: date, actor_id: int) -> Return:
    """Record a form received on `received_on`; after the closing date it is late (and still keyed)."""
    return receive_return(consultation, pack, received_on, received_on > consultation.closes_on, actor_id)


__all__ = ["InvalidReference", "UnknownReference", "find_pack", "receive", "reference_from_scan"]
