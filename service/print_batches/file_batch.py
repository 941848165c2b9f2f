"""A braille or audio print batch: one ZIP of the batch's BRF or MP3 files, for the print house.

The print house embosses each BRF (40 cells by 25 lines, one braille page a sheet) or copies each MP3
to a USB stick or CD, and posts it to the address on the manifest's row with the same file name.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable

from service import storage
from service.dao.accessible_files import files_by_pack
from service.dao.printing import batch_manifest_rows, get_batch, mark_batch_built, record_batch_progress
from service.models import PrintFormat

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


def batch_zip_key(batch_id: int) -> str:
    return f"batches/batch-{batch_id}.zip"


def member_name(reference: str, extension: str) -> str:
    return f"{reference}.{extension}"


def build_file_batch(batch_id: int, progress: Callable[[int, int], None] | None = None) -> None:
    """Write the batch's ZIP: instructions, then every pack's file in manifest (postcode) order."""
    batch = get_batch(batch_id)
    rows = batch_manifest_rows(batch_id)
    made = files_by_pack([pack.id for _, pack in rows])
    key = batch_zip_key(batch_id)
    pages = 0
    handle, temporary = storage.open_for_writing(key)
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
                record_batch_progress(get_batch(batch_id), done, pages)
                if progress:
                    progress(done, len(rows))
    storage.commit_file(temporary, key)
    mark_batch_built(get_batch(batch_id), key, pages)
