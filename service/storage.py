"""Where generated files live: a folder every web and worker process can read (shared storage when
there is more than one machine), set by FILE_STORE_DIR."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import BinaryIO

from flask import current_app


def _root() -> Path:
    root = Path(current_app.config["FILE_STORE_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def path_for(key: str) -> Path:
    """The file for `key` (a relative name like `batches/12.pdf`), inside the store.

    Worked out from the text alone: the keys are the service's own (hashes and ids), so the only way out of
    the store is a `..` or an absolute key, which normalising shows. Asking the file system (resolve, mkdir)
    on every call was a twentieth of the render job's time beyond the drawing.
    """
    root = os.path.abspath(current_app.config["FILE_STORE_DIR"])
    path = os.path.normpath(os.path.join(root, key))
    if not path.startswith(root + os.sep):
        raise ValueError("file key escapes the store")
    return Path(path)


TEMPORARY_SUFFIX = ".part"


def open_for_writing(key: str) -> tuple[BinaryIO, Path]:
    """Open a temporary file beside `key`; `commit_file` moves it into place atomically."""
    final = path_for(key)
    temporary = final.with_name(f".{final.name}.{os.getpid()}{TEMPORARY_SUFFIX}")
    try:
        return temporary.open("wb"), temporary
    except FileNotFoundError:  # the key's folder (or the store itself) is new
        final.parent.mkdir(parents=True, exist_ok=True)
        return temporary.open("wb"), temporary


def remove_stale_temporary_files(older_than_seconds: float) -> int:
    """Delete temporary files nobody has written to for this long (their writer was killed); return how many.

    A builder writes its temporary file chunk by chunk, so a live one is never this old. They hold names and
    addresses: left behind, they would outlive an erasure.
    """
    removed = 0
    cutoff = time.time() - older_than_seconds
    for path in _root().rglob(f".*{TEMPORARY_SUFFIX}"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # finished or removed meanwhile
    return removed


def commit_file(temporary: Path, key: str) -> None:
    os.replace(temporary, path_for(key))


def delete(key: str) -> None:
    path_for(key).unlink(missing_ok=True)


def delete_with_temporary_files(key: str) -> None:
    """Delete `key` and any temporary file still being written beside it (erasure: no copy may stay).

    A writer whose temporary file goes finds out when it moves it into place, and gives up as on any error.
    """
    final = path_for(key)
    for temporary in final.parent.glob(f".{final.name}.*{TEMPORARY_SUFFIX}"):
        temporary.unlink(missing_ok=True)
    final.unlink(missing_ok=True)
