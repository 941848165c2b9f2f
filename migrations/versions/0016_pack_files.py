"""Pack PDFs move out of the database into the file store, named by the SHA-256 of their bytes

Revision ID: 0016_pack_files
Revises: 0015_audit_append_only

The rows keep the key, size and hash. Existing PDFs are written to the store (FILE_STORE_DIR of the app
running the migration) a batch of rows at a time, then the column is dropped; downgrade reads them back.
"""

import hashlib
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "0016_pack_files"
down_revision = "0015_audit_append_only"
branch_labels = None
depends_on = None

ROWS_AT_A_TIME = 200  # bytes of this many packs in memory at once, however big the table


def _store() -> Path:
    return Path(current_app.config["FILE_STORE_DIR"])


def _key(digest: str) -> str:
    # The same naming as service/packs/files.py (a migration keeps its own copy: the service's may change).
    return f"packs/{digest[:2]}/{digest}.pdf"


def _write(pdf: bytes) -> tuple[str, str]:
    digest = hashlib.sha256(pdf).hexdigest()
    key = _key(digest)
    final = _store() / key
    if not final.exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.with_name(f".{final.name}.{os.getpid()}.part")
        with temporary.open("wb") as handle:
            handle.write(pdf)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    return key, digest


def upgrade():
    with op.batch_alter_table("packs") as batch:
        batch.add_column(sa.Column("file_key", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("file_size", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("file_sha256", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_packs_file_key"), ["file_key"], unique=False)
    connection = op.get_bind()
    packs = sa.table(
        "packs",
        sa.column("id", sa.Integer),
        sa.column("pdf", sa.LargeBinary),
        sa.column("file_key", sa.String),
        sa.column("file_size", sa.Integer),
        sa.column("file_sha256", sa.String),
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(packs.c.id, packs.c.pdf)
            .where(packs.c.id > last, packs.c.pdf.is_not(None))
            .order_by(packs.c.id)
            .limit(ROWS_AT_A_TIME)
        ).all()
        if not rows:
            break
        for pack_id, pdf in rows:
            key, digest = _write(bytes(pdf))
            connection.execute(
                packs.update()
                .where(packs.c.id == pack_id)
                .values(file_key=key, file_size=len(pdf), file_sha256=digest, pdf=None)
            )
        last = rows[-1][0]
    with op.batch_alter_table("packs") as batch:
        batch.drop_column("pdf")


def downgrade():
    with op.batch_alter_table("packs") as batch:
        batch.add_column(sa.Column("pdf", sa.LargeBinary(), nullable=True))
    connection = op.get_bind()
    packs = sa.table("packs", sa.column("id", sa.Integer), sa.column("pdf", sa.LargeBinary), sa.column("file_key", sa.String))
    for pack_id, key in connection.execute(sa.select(packs.c.id, packs.c.file_key).where(packs.c.file_key.is_not(None))).all():
        path = _store() / key
        if path.exists():  # the files stay in the store: a downgrade loses nothing if it is upgraded again
            connection.execute(packs.update().where(packs.c.id == pack_id).values(pdf=path.read_bytes()))
    with op.batch_alter_table("packs") as batch:
        batch.drop_index(batch.f("ix_packs_file_key"))
        batch.drop_column("file_sha256")
        batch.drop_column("file_size")
        batch.drop_column("file_key")
