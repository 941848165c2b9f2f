"""Build one print batch: cover sheet, then every pack in postcode order, streamed to the file store.

Packs are not drawn again: each pack's PDF, as the render job stored it, is copied into the batch file, its
fonts and shared pages written once for the whole batch (print_batches/stream_pdf.py). Only a pack with no
stored file, or whose file is not the bytes its row names (never rendered, forgotten since, or lost to a
power cut), is drawn now.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from service import storage
from service.dao.printing import (
    batch_file_key,
    batch_pack_files,
    batch_pack_ids,
    batch_pack_pages,
    load_batch,
    load_packs,
    mark_batch_built,
    record_batch_progress,
)
from service.extensions import db
from service.models import MADE_WITH_TOOLS, IllegalTransition, PrintFormat
from service.models.consultations import UK
from service.packs.assemble import pack_content
from service.packs.files import read_stored_pack, stored_pack_path
from service.packs.render import draw_pack, new_canvas, render_pack
from service.print_batches.cover_sheet import COVER_PAGES, cover_sheet_pdf
from service.print_batches.file_batch import BatchNoLongerBuilding, build_file_batch, discard_unless_held
from service.print_batches.stream_pdf import StreamingPdfWriter

Progress = Callable[[int, int], None]


__all__ = ["BatchNoLongerBuilding", "batch_file_key", "build_batch_file", "copy_packs", "stream_packs"]


def copy_packs(
    writer: StreamingPdfWriter,
    pack_ids: list[int],
    *,
    every: int,
    after_some: Callable[[int], None] | None = None,
) -> None:
    """Copy each pack's stored PDF into `writer`, in order; draw only those with none. `after_some(done)` is
    called after every `every` packs and at the end."""
    for start in range(0, len(pack_ids), every):
        chunk = pack_ids[start : start + every]
        # A session of its own per chunk: closed after the chunk, so memory stays flat however big the batch.
        with Session(db.engine) as session:
            files = batch_pack_files(chunk, session)
            drawn = {}  # only packs with no usable stored file are drawn; the rest are read one at a time below
            missing = [pack_id for pack_id in chunk if stored_pack_path(files.get(pack_id, (None,))[0]) is None]
            for pack in load_packs(missing, session) if missing else []:
                drawn[pack.id] = render_pack(pack_content(pack))
        for pack_id in chunk:
            pdf = drawn.pop(pack_id, None) or read_stored_pack(*files[pack_id])
            if pdf is None:  # the file changed under its row: drawn afresh rather than printed wrong
                with Session(db.engine) as session:
                    pdf = render_pack(pack_content(load_packs([pack_id], session)[0]))
            writer.append(pdf)
        if after_some:
            after_some(start + len(chunk))


def stream_packs(
    writer: StreamingPdfWriter,
    pack_ids: list[int],
    *,
    made_on: date,
    title: str,
    chunk_packs: int,
    print_format: PrintFormat | None = None,
    after_chunk: Callable[[int], None] | None = None,
) -> None:
    """Draw packs a chunk at a time (fonts and shared pages once per chunk) and stream each chunk out."""
    done = 0
    for start in range(0, len(pack_ids), chunk_packs):
        chunk = pack_ids[start : start + chunk_packs]
        buffer = io.BytesIO()
        canvas = new_canvas(buffer, made_on, title=title)
        # A session of its own per chunk: closed after the chunk, so memory stays flat however big the batch.
        with Session(db.engine) as session:
            for pack in load_packs(chunk, session):
                draw_pack(canvas, pack_content(pack, print_format))
        canvas.save()
        writer.append(buffer.getvalue())
        done += len(chunk)
        if after_chunk:
            after_chunk(done)


def build_batch_file(batch_id: int, progress: Progress | None = None, chunk_packs: int | None = None) -> None:
    """Write the batch PDF in one streaming pass; memory is bounded by one chunk of packs (`chunk_packs`: how
    many packs are read, and progress recorded, at a time).

    The file is written under a temporary name and moved into place whole. If the batch stops being built
    meanwhile (a supervisor cancelled it), the file is discarded and BatchNoLongerBuilding raised: a
    cancelled batch never becomes ready.
    """
    from flask import current_app

    chunk_packs = chunk_packs or current_app.config["BATCH_CHUNK_PACKS"]
    batch = load_batch(batch_id)
    if batch.format in MADE_WITH_TOOLS:  # braille and audio: the files themselves, not a PDF
        build_file_batch(batch_id, progress)
        return
    pack_ids = batch_pack_ids(batch_id)
    made_on = batch.created_at.astimezone(UK).date()
    title = f"Print batch {batch.id}"
    pack_pages = batch_pack_pages(batch_id)
    cover = [
        ("Batch", f"{batch.id}, made {made_on:%-d %B %Y}"),
        ("Consultation", batch.consultation.display_name),
        ("Format", batch.format.label),
        ("Packs", f"{len(pack_ids):,}"),
        # One sheet for the cover, then every pack on whole sheets, printed on both sides.
        ("Sheets", f"{(pack_pages + COVER_PAGES) // 2:,} ({pack_pages + COVER_PAGES:,} pages, with this cover sheet)"),
        ("Print", "double-sided (long edge), A4"),
        ("Order", "by postcode; each pack starts on a new sheet"),
    ]
    key = batch_file_key(batch_id)
    handle, temporary = storage.open_for_writing(key)
    try:
        with handle:
            writer = StreamingPdfWriter(handle, title=title)
            writer.append(cover_sheet_pdf(cover, title, made_on))

            def after_chunk(done: int) -> None:
                if not record_batch_progress(batch_id, done, writer.page_count):
                    raise BatchNoLongerBuilding(batch_id)
                if progress:
                    progress(done, len(pack_ids))

            copy_packs(writer, pack_ids, every=chunk_packs, after_some=after_chunk)
            writer.close()
        if writer.page_count != pack_pages + COVER_PAGES:  # the cover sheet must not promise a different count
            raise ValueError(
                f"the batch has {writer.page_count} pages, not the {pack_pages + COVER_PAGES} its cover sheet says"
            )
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    storage.commit_file(temporary, key)
    try:
        mark_batch_built(load_batch(batch_id), key, writer.page_count)
    except IllegalTransition:
        discard_unless_held(batch_id, key)
        raise BatchNoLongerBuilding(batch_id) from None
