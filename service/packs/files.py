"""Rendered packs in the file store, named by the SHA-256 of their bytes (content-addressed).

A pack's PDF is written once, atomically (a temporary file moved into place), and read by the preview, the
download, the print provider and the print batch builder. The same bytes always get the same key, so writing
a pack again after a crash or a retry costs nothing and can never leave two copies. The database row keeps
the key, size, hash and page count; forgetting a file is `service.dao.pack_files.forget_pack_files`.

A stored pack is a copy of something the database can always make again: the render is byte-reproducible
from the pack's row (the letter is dated the day of the request). So every reader checks the bytes against
the row's hash (`read_stored_pack`) and draws the pack afresh when they are missing or wrong, and the render
does not wait for the disk (`fsync`) before its commit: a power cut that loses a just-written file costs one
redraw, never a wrong or missing letter. The wait was a sixth of a pack's render time.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from service import storage
from service.dao.pack_files import DELETE_AFTER_COMMIT, keys_still_named

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredPdf:
    key: str
    size: int
    sha256: str


def pack_file_key(sha256: str) -> str:
    # Two hex digits of fan-out: 100,000 packs make 256 folders of about 400 files, not one of 100,000.
    return f"packs/{sha256[:2]}/{sha256}.pdf"


def store_pack_pdf(pdf: bytes) -> StoredPdf:
    """Put `pdf` in the store and say where.

    Written every time, even when the same bytes are there already (a retry): the file the row will name is
    then always one this render put in place moments before its commit, never an older copy that the sweep
    for unnamed files could be taking away at that moment (see `remove_unnamed_pack_files`). Not synced to
    disk: readers check the hash and redraw (see the module's docstring).
    """
    digest = hashlib.sha256(pdf).hexdigest()
    key = pack_file_key(digest)
    handle, temporary = storage.open_for_writing(key)
    try:
        with handle:
            handle.write(pdf)
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


def read_stored_pack(key: str | None, sha256: str | None) -> bytes | None:
    """The stored PDF a pack's row names, if it is there and is still the bytes the row's hash says; else None
    (not rendered yet, forgotten, or lost or cut short by a power cut): the caller draws the pack again."""
    path = stored_pack_path(key)
    if path is None or sha256 is None:
        return None
    try:
        pdf = path.read_bytes()
    except FileNotFoundError:  # forgotten between the look and the read
        return None
    if hashlib.sha256(pdf).hexdigest() != sha256:
        log.warning("Stored pack file %s does not match its row's hash; the pack is drawn again", key)
        return None
    return pdf


def delete_unused_pack_files(keys) -> None:
    """Delete these pack files from the store (keys `forget_pack_files` returned, after its commit)."""
    for key in keys:
        storage.delete(key)


def discard_unnamed_pack_files(keys: set[str]) -> None:
    """Delete those of these just-written files no committed row names (a render that failed part way)."""
    if keys:
        delete_unused_pack_files(keys - keys_still_named(keys))


_HELD = ".unnamed"  # a file the sweep has taken aside, to delete once it is sure no row names it
_NAMED_QUERY_KEYS = 500  # keys per "which of these does a row name?" query


def remove_unnamed_pack_files(older_than_seconds: float) -> int:
    """Delete pack files no row names, untouched for this long; return how many.

    A render that is killed (or whose commit fails in a way no handler sees) after storing its PDF leaves a
    file that holds a name and an address and that no erasure can find. A render in progress is safe: its
    file is newer than the cut-off, and each file is taken aside (an atomic rename) and looked at again
    before it is deleted: one a render put in place meanwhile is new and goes back.
    """
    cutoff = time.time() - older_than_seconds
    root = storage.path_for("packs")
    removed = 0
    for held in root.glob(f"*/*.pdf{_HELD}"):  # left by a sweep stopped part way
        removed += _settle(held, f"packs/{held.parent.name}/{held.name.removesuffix(_HELD)}", cutoff)
    old = {}
    for path in root.glob("*/*.pdf"):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime < cutoff:
                old[f"packs/{path.parent.name}/{path.name}"] = path
    keys = sorted(old)
    named: set[str] = set()
    for start in range(0, len(keys), _NAMED_QUERY_KEYS):
        named |= keys_still_named(keys[start : start + _NAMED_QUERY_KEYS])
    for key in keys:
        if key in named:
            continue
        held = old[key].with_name(old[key].name + _HELD)
        try:
            os.rename(old[key], held)
        except FileNotFoundError:
            continue
        removed += _settle(held, key, cutoff)
    return removed


def _settle(held: Path, key: str, cutoff: float) -> int:
    """Delete a file taken aside, unless it turns out to be new or named: then it goes back where it was."""
    try:
        fresh = held.stat().st_mtime >= cutoff
    except FileNotFoundError:
        return 0
    if fresh or keys_still_named({key}):
        if storage.path_for(key).exists():
            held.unlink(missing_ok=True)  # a newer copy of the same bytes is in place already
        else:
            os.rename(held, storage.path_for(key))
        return 0
    held.unlink(missing_ok=True)
    return 1


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
