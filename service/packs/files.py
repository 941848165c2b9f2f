"""Rendered packs in the file store, named by the SHA-256 of their bytes (content-addressed).

A pack's PDF is written once, atomically (a temporary file moved into place), and read by the preview, the
download, GOV.UK Notify and the print batch builder. The same bytes always get the same key, so writing a
pack again after a crash or a retry costs nothing and can never leave two copies. The database row keeps
the key, size, hash and page count; forgetting a file is `service.dao.pack_files.forget_pack_files`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from service import storage
from service.dao.pack_files import DELETE_AFTER_COMMIT, keys_still_named


@dataclass(frozen=True)
class StoredPdf:
    key: str
    size: int
    sha256: str


def pack_file_key(sha256: str) -> str:
    # Two hex digits of fan-out: 100,000 packs make 256 folders of about 400 files, not one of 100,000.
    return f"packs/{sha256[:2]}/{sha256}.pdf"


def store_pack_pdf(pdf: bytes) -> StoredPdf:
    """Put `pdf` in the store (unless the same bytes are there already) and say where."""
    digest = hashlib.sha256(pdf).hexdigest()
    key = pack_file_key(digest)
    if not storage.path_for(key).exists():
        handle, temporary = storage.open_for_writing(key)
        try:
            with handle:
                handle.write(pdf)
                handle.flush()
                os.fsync(handle.fileno())  # on disk before the row that names it is committed
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        storage.commit_file(temporary, key)
    return StoredPdf(key, len(pdf), digest)


def stored_pack_path(key: str | None) -> Path | None:
    """The file of a stored pack, or None when there is none (not rendered yet, or forgotten)."""
    if key is None:
        return None
    path = storage.path_for(key)
    return path if path.exists() else None


def delete_unused_pack_files(keys) -> None:
    """Delete these pack files from the store (keys `forget_pack_files` returned, after its commit)."""
    for key in keys:
        storage.delete(key)


def discard_unnamed_pack_files(keys: set[str]) -> None:
    """Delete those of these just-written files no committed row names (a render that failed part way)."""
    if keys:
        delete_unused_pack_files(keys - keys_still_named(keys))


def _after_commit(session) -> None:
    keys = session.info.pop(DELETE_AFTER_COMMIT, None)
    if keys:
        delete_unused_pack_files(keys - keys_still_named(keys))


def _after_rollback(session) -> None:
    session.info.pop(DELETE_AFTER_COMMIT, None)


def listen() -> None:
    """Delete the files `delete_after_commit` named once their transaction commits (once per process)."""
    from sqlalchemy import event

    from service.extensions import db

    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_rollback", _after_rollback)
