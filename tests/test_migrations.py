"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from service.extensions import db


def test_models_and_migrations_agree(app_ctx):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_pack_pdfs_move_out_of_the_database_into_the_store_and_back(tmp_path, redis_url):
    """0016 writes each stored PDF to the file store under the hash of its bytes and drops the column;
    its downgrade reads them back. A database of its own: the shared one must stay at the head."""
    import hashlib

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from service import create_app
    from tests.factories import make_consultation

    store = tmp_path / "files"
    app = create_app(
        {
            "ENV_NAME": "test",
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrate.db'}",
            "REDIS_URL": redis_url,
            "FILE_STORE_DIR": str(store),
        }
    )
    pdfs = [b"%PDF-1.4 pack one", b"%PDF-1.4 pack two"]
    with app.app_context():
        upgrade(revision="heads")
        consultation_id = make_consultation().id
        downgrade(revision="0015_audit_append_only")
        for n, pdf in enumerate(pdfs, start=1):
            db.session.execute(
                text(
                    "INSERT INTO packs (reference, consultation_id, copy_number, created_at, page_count, print_round, "
                    "cancel_reason, pdf) VALUES (:ref, :c, 1, CURRENT_TIMESTAMP, 8, 1, '', :pdf)"
                ),
                {"ref": f"000000000{n}", "c": consultation_id, "pdf": pdf},
            )
        db.session.commit()
        upgrade(revision="heads")
        rows = db.session.execute(text("SELECT file_key, file_size, file_sha256 FROM packs ORDER BY reference")).all()
        for (key, size, digest), pdf in zip(rows, pdfs, strict=True):
            assert digest == hashlib.sha256(pdf).hexdigest() and size == len(pdf)
            assert key == f"packs/{digest[:2]}/{digest}.pdf" and (store / key).read_bytes() == pdf
        assert "pdf" not in {c["name"] for c in inspect(db.engine).get_columns("packs")}  # the bytes left the database
        downgrade(revision="0015_audit_append_only")
        back = db.session.execute(text("SELECT pdf FROM packs ORDER BY reference")).scalars().all()
        assert [bytes(pdf) for pdf in back] == pdfs
        db.session.remove()
        db.engine.dispose()
