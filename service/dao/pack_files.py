"""Which pack files the database still names: forgetting a pack's rendered PDF (erasure, retention,
a correction or cancellation) and deciding whether its file can go from the store."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from service.extensions import db
from service.models import Pack


def forget_pack_files(packs: Iterable[Pack]) -> set[str]:
    """Forget the rendered PDF of each of `packs` (in the caller's transaction); return the keys of the files no
    other pack still names, for the caller to delete from the store once committed.

    Keys are hashes of the bytes, so two rows could name one file (a pack's bytes carry its own reference, so
    in practice only the same pack rendered again does): a file another row still names is kept.
    """
    packs = list(packs)
    keys = {pack.file_key for pack in packs if pack.file_key}
    for pack in packs:
        pack.file_key = pack.file_size = pack.file_sha256 = None
    if not keys:
        return set()
    db.session.flush()
    still_named = set(db.session.scalars(select(Pack.file_key).where(Pack.file_key.in_(keys))))
    return keys - still_named


DELETE_AFTER_COMMIT = "pack_files_after_commit"


def delete_after_commit(keys: set[str]) -> None:
    """Have these pack files deleted from the store once this transaction commits (never if it rolls back)."""
    if keys:
        db.session.info.setdefault(DELETE_AFTER_COMMIT, set()).update(keys)


def keys_still_named(keys: Iterable[str]) -> set[str]:
    """Those of `keys` some committed pack row names, read on a connection of its own (so it can be asked from
    a commit hook): a file rendered again meanwhile, with the same bytes, is not deleted under its new row."""
    keys = set(keys)
    if not keys:
        return set()
    with db.engine.connect() as connection:
        return set(connection.scalars(select(Pack.file_key).where(Pack.file_key.in_(keys))))
