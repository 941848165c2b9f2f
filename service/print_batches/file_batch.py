"""A braille or audio print batch: one ZIP of the batch's BRF or MP3 files, for the print house.

The print house embosses each BRF (40 cells by 25 lines, one braille page a sheet) or copies each MP3
to a USB stick or CD, and posts it to the address on the manifest's row with the same file name.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable

from service import storage
from service.dao.accessible_files import files_by_pack
from service.dao.printing import batch_manifest_rows, batch_zip_key, load_batch, mark_batch_built, record_batch_progress
from service.models import BatchStatus, IllegalTransition, PrintFormat

HAS_ITS_FILE = (BatchStatus.READY, BatchStatus.SENT_TO_PRINT, BatchStatus.POSTED)

INSTRUCTIONS = {
    PrintFormat.BRAILLE: (
        "Braille batch. Each .brf file is one caller's letter and questionnaire in Unified English Braille grade 2, "
        "40 cells by 25 lines, a form feed after each page. Emboss each file single-sided and post it, as "
        "Articles for the Blind, to the address on the manifest row with the same file name.\r\n"
    ),
    PrintFormat.AUDIO: (
        "Audio batch. Each .mp3 file is one caller's letter and questionnaire read aloud. Copy each file to a "
        "USB stick or an audio CD, label it with the reference, and post it, as Articles for the Blind, to the "
        "address on the manifest row with the same file name.\r\n"
    ),
}


class BatchNoLongerBuilding(Exception):
    """The batch was cancelled (or failed) while its file was being written: the file is discarded."""


def member_name(reference: str, extension: str) -> str:
    return f"{reference}.{extension}"


def build_file_batch(batch_id: int, progress: Callable[[int, int], None] | None = None) -> None:
    """Write the batch's ZIP: instructions, then every pack's file in manifest (postcode) order."""
    rows = batch_manifest_rows(batch_id)
    made = files_by_pack([pack.id for _, pack in rows])
    key = batch_zip_key(batch_id)
    handle, temporary = storage.open_for_writing(key)
    try:
        pages = _write_zip(batch_id, handle, rows, made, progress)
    except BaseException:
        temporary.unlink(missing_ok=True)  # a cancelled or failed build leaves no part of its file behind
        raise
    storage.commit_file(temporary, key)
    try:
        mark_batch_built(load_batch(batch_id), key, pages)
    except IllegalTransition:
        discard_unless_held(batch_id, key)
        raise BatchNoLongerBuilding(batch_id) from None


def discard_unless_held(batch_id: int, key: str) -> None:
    """For a builder that finished second: delete the file it put in place unless its batch holds that file.

    Cancelled (or erased) between the last chunk and now, the batch has no file: ours goes, with the names
    and addresses in it, and a cancelled batch never becomes ready. Built meanwhile by another builder of the
    same batch (a job the sweep took for a dead worker's while it was only slow), the batch is ready with
    this very file, which ours replaced whole with the same packs in the same order: deleting it would
    leave a ready batch with no print file.
    """
    batch = load_batch(batch_id)  # afresh: the failed change rolled the session back
    if batch.status not in HAS_ITS_FILE or batch.file_key != key:
        storage.delete(key)


def _write_zip(batch_id, handle, rows, made, progress) -> int:
    """Write the ZIP to `handle`; return the braille pages in it. BatchNoLongerBuilding if cancelled meanwhile."""
    batch = load_batch(batch_id)
    pages = 0
    with handle, zipfile.ZipFile(handle, "w") as archive:
        archive.writestr("print-house-instructions.txt", INSTRUCTIONS[batch.format], zipfile.ZIP_DEFLATED)
        for done, (_, pack) in enumerate(rows, start=1):
            file = made.get(pack.id)
            if file is not None and file.erased_at is not None:
                continue  # erased after the print run claimed it: nothing to post (the manifest row has no file)
            if file is None or file.file_key is None:
                raise FileNotFoundError(f"pack {pack.id} has no {batch.format.label.lower()} file")
            # MP3 is compressed already; BRF text shrinks to a fifth.
            compression = zipfile.ZIP_STORED if file.extension == "mp3" else zipfile.ZIP_DEFLATED
            archive.write(storage.path_for(file.file_key), member_name(pack.reference, file.extension), compression)
            pages += file.braille_pages or 0
            if done % 20 == 0 or done == len(rows):
                if not record_batch_progress(batch_id, done, pages):
                    raise BatchNoLongerBuilding(batch_id)
                if progress:
                    progress(done, len(rows))
    return pages
