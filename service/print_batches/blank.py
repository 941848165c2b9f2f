"""Blank packs: unpersonalised, each with its own reference, written as one PDF."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from service.dao.printing import load_packs
from service.models import Consultation, PrintFormat
from service.models.consultations import UK
from service.print_batches.builder import stream_packs
from service.print_batches.stream_pdf import StreamingPdfWriter

CHUNK_PACKS = 200


def blank_packs_problem(consultation: Consultation, now: datetime, *, confirmed: bool) -> str | None:
    """Why blank packs cannot be made now for `consultation` (a closed one needs saying so), or None."""
    if not consultation.has_closed_by(now):
        return None
    closed = f"{consultation.display_name} closed on {consultation.closes_on:%-d %B %Y}"
    if not consultation.takes_late_replies:
        return f"{closed} and takes no late replies: blank packs would not be read"
    if not confirmed:
        return f"{closed}. Confirm that you want blank packs for it: they will say it has closed"
    return None


def write_blank_packs(output: BinaryIO, pack_ids: list[int], print_format: PrintFormat) -> int:
    """Write the blank packs `pack_ids` to `output`; return the page count."""
    made_on = load_packs(pack_ids[:1])[0].created_at.astimezone(UK).date()
    writer = StreamingPdfWriter(output, title="Blank survey packs")
    stream_packs(
        writer,
        pack_ids,
        made_on=made_on,
        title="Blank survey packs",
        chunk_packs=CHUNK_PACKS,
        print_format=print_format,
    )
    writer.close()
    return writer.page_count
