"""Where generated files live: a folder every web and worker process can read (shared storage when
there is more than one machine), set by FILE_STORE_DIR."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from flask import current_app


def _root() -> Path:
    root = Path(current_app.config["FILE_STORE_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def path_for(key: str) -> Path:
    """The file for `key` (a relative name like `batches/12.pdf`), inside the store."""
    path = (_root() / key).resolve()
    if _root().resolve() not in path.parents:
        raise ValueError("file key escapes the store")
    return path


def open_for_writing(key: str) -> tuple[BinaryIO, Path]:
    """Open a temporary file beside `key`; `commit_file` moves it into place atomically."""
    final = path_for(key)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.part")
    return temporary.open("wb"), temporary


def commit_file(temporary: Path, key: str) -> None:
    os.replace(temporary, path_for(key))


def delete(key: str) -> None:
    path_for(key).unlink(missing_ok=True)
