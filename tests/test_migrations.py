"""The migrations build exactly the schema the models describe."""

import json
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text

from service import create_app
from service.extensions import db
from service.models.types import utcnow


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
        downgrade(revision="0015_audit_append_only")
        consultation_id = insert_consultation("before-the-file-store")
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


def migration_ending(name: str) -> tuple[str, str]:
    """(revision, the revision before it) of the migration whose id ends with `name`."""
    from alembic.script import ScriptDirectory

    from service.extensions import migrate

    directory = ScriptDirectory(migrate.get_config().get_main_option("script_location"))
    (script,) = [s for s in directory.walk_revisions() if s.revision.endswith(name)]
    return script.revision, script.down_revision


@pytest.fixture
def scratch_database(database_url: str, tmp_path) -> Iterator[str]:
    """An empty database of the same kind as the suite's (SQLite file or PostgreSQL), dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    scratch = url.set(database=f"{url.database}_scratch")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}"'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    try:
        yield scratch.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        admin.dispose()


def insert_consultation(slug: str) -> int:
    """A consultation row as the first migration made it (later columns have defaults): the models describe
    the newest schema, so they cannot write to a database held at an older revision."""
    today = utcnow().date()
    db.session.execute(
        text(
            "INSERT INTO consultations (slug, organisation, title, summary, phone_line, online_survey_url, opens_on,"
            " closes_on, questionnaire_file, freepost_address, is_demo, created_at) VALUES (:slug, 'Council', 'A"
            " consultation', '', '+441513301249', 'https://example.org/s', :today, :today,"
            " 'lcr-digital-strategy-2021/questionnaire.yaml', 'Freepost', false, :now)"
        ),
        {"slug": slug, "today": today, "now": utcnow()},
    )
    return db.session.execute(text("SELECT id FROM consultations WHERE slug = :slug"), {"slug": slug}).scalar_one()


def unique_on_packs() -> list[dict]:
    return [{k: c[k] for k in ("name", "column_names")} for c in inspect(db.engine).get_unique_constraints("packs")]


def test_the_print_provider_columns_are_renamed_with_their_data_kept(scratch_database):
    """A pack GOV.UK Notify had before the rename keeps its letter id and status, and says Notify has it."""
    app = create_app({"ENV_NAME": "test", "TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_database})
    with app.app_context():
        revision, before = migration_ending("_print_provider_names")
        upgrade(revision=before)
        consultation_id = insert_consultation("before-the-rename")
        db.session.execute(
            text(
                "INSERT INTO packs (reference, consultation_id, copy_number, created_at, print_round, notify_id,"
                " notify_status, notify_status_at, cancel_reason) VALUES ('4829135570', :c, 1, :t, 1, :n,"
                " 'received', :t, ''), ('1234567897', :c, 1, :t, 1, NULL, NULL, NULL, '')"
            ),
            {"c": consultation_id, "t": utcnow(), "n": "5a3f0e9c-3b8e-4c55-9d8e-2a1b0c9d8e7f"},
        )
        db.session.commit()

        upgrade(revision=revision)
        rows = db.session.execute(
            text("SELECT reference, provider, provider_reference, provider_status FROM packs ORDER BY reference")
        ).all()
        assert [tuple(row) for row in rows] == [
            ("1234567897", None, None, None),
            ("4829135570", "notify", "5a3f0e9c-3b8e-4c55-9d8e-2a1b0c9d8e7f", "received"),
        ]
        db.session.rollback()  # the migration runs on a connection of its own: leave it no lock to wait for
        assert {"name": "uq_packs_provider", "column_names": ["provider", "provider_reference"]} in unique_on_packs()

        downgrade(revision=before)
        row = db.session.execute(text("SELECT notify_id, notify_status FROM packs WHERE notify_id IS NOT NULL")).one()
        assert tuple(row) == ("5a3f0e9c-3b8e-4c55-9d8e-2a1b0c9d8e7f", "received")
        assert {"name": "uq_packs_notify_id", "column_names": ["notify_id"]} in unique_on_packs()
        db.session.remove()
        db.engine.dispose()


def test_originals_that_raced_before_the_index_become_duplicates_of_the_first(scratch_database):
    """Two receipts of one pack that both became originals before the one-original index: the later one
    is made the first one's duplicate, so the index can be created and nothing is lost."""
    app = create_app({"ENV_NAME": "test", "TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_database})
    with app.app_context():
        revision, before = migration_ending("_one_original_return")
        upgrade(revision=before)
        consultation_id = insert_consultation("before-one-original")
        db.session.execute(
            text(
                "INSERT INTO packs (reference, consultation_id, copy_number, created_at, print_round, cancel_reason)"
                " VALUES ('4829135570', :c, 1, :t, 1, '')"
            ),
            {"c": consultation_id, "t": utcnow()},
        )
        pack_id = db.session.execute(text("SELECT id FROM packs")).scalar_one()
        for _ in range(3):
            db.session.execute(
                text(
                    "INSERT INTO returns (consultation_id, pack_id, received_on, is_late, status, created_at)"
                    " VALUES (:c, :p, :d, false, 'received', :t)"
                ),
                {"c": consultation_id, "p": pack_id, "d": utcnow().date(), "t": utcnow()},
            )
        db.session.commit()

        upgrade(revision=revision)
        rows = db.session.execute(text("SELECT id, duplicate_of_id FROM returns ORDER BY id")).all()
        first = rows[0][0]
        assert [tuple(row) for row in rows] == [(first, None), (rows[1][0], first), (rows[2][0], first)]
        db.session.rollback()
        downgrade(revision=before)
        db.session.remove()
        db.engine.dispose()


def test_existing_packs_and_keyings_get_the_version_they_were_made_with(scratch_database):
    """0023: a consultation made before it takes its area, draft and letter wording from its consultation.yaml;
    its packs and keyings say the questionnaire version they were made with (the definition's, version 1)."""
    app = create_app({"ENV_NAME": "test", "TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_database})
    with app.app_context():
        revision, before = migration_ending("_consultation_data")
        upgrade(revision=before)
        consultation_id = insert_consultation("before-the-areas")
        now = utcnow()
        db.session.execute(
            text(
                "INSERT INTO packs (reference, consultation_id, copy_number, created_at, print_round, cancel_reason)"
                " VALUES ('4829135570', :c, 1, :t, 1, '')"
            ),
            {"c": consultation_id, "t": now},
        )
        db.session.execute(
            text(
                "INSERT INTO returns (consultation_id, pack_id, received_on, is_late, status, created_at)"
                " VALUES (:c, (SELECT id FROM packs), :d, false, 'keyed_once', :t)"
            ),
            {"c": consultation_id, "d": now.date(), "t": now},
        )
        db.session.execute(
            text(
                "INSERT INTO keyings (return_id, source, entry_number, answers, started_at, saved_at)"
                " VALUES ((SELECT id FROM returns), 'keyed', 1, '{}', :t, :t)"
            ),
            {"t": now},
        )
        db.session.commit()

        upgrade(revision=revision)
        consultation = db.session.execute(
            text("SELECT areas, area_name, is_draft FROM consultations WHERE id = :c"), {"c": consultation_id}
        ).one()
        areas = consultation.areas if isinstance(consultation.areas, list) else json.loads(consultation.areas)
        assert areas == ["Halton", "Knowsley", "Liverpool", "Sefton", "St Helens", "Wirral"]
        assert consultation.area_name == "the city region" and bool(consultation.is_draft)
        assert db.session.execute(text("SELECT questionnaire_version FROM packs")).scalar_one() == 1
        assert db.session.execute(text("SELECT questionnaire_version FROM keyings")).scalar_one() == 1
        db.session.rollback()
        downgrade(revision=before)
        assert "questionnaire_version" not in {c["name"] for c in inspect(db.engine).get_columns("packs")}
        db.session.remove()
        db.engine.dispose()


def test_a_consultation_made_before_it_knew_its_area_by_code_gets_its_codes_and_extract(scratch_database):
    """0026: a consultation made before it takes its authorities' ONS codes and its extract of the ONS Postcode
    Directory from its consultation.yaml, so its postcodes keep finding their local authority without a seed."""
    app = create_app({"ENV_NAME": "test", "TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_database})
    with app.app_context():
        revision, before = migration_ending("_consultation_area_codes")
        upgrade(revision=before)
        consultation_id = insert_consultation("before-the-codes")
        db.session.commit()

        upgrade(revision=revision)
        consultation = db.session.execute(
            text("SELECT area_codes, postcode_file FROM consultations WHERE id = :c"), {"c": consultation_id}
        ).one()
        codes = consultation.area_codes
        codes = codes if isinstance(codes, dict) else json.loads(codes)
        assert codes["E08000012"] == "Liverpool" and codes["E06000006"] == "Halton" and len(codes) == 6
        assert consultation.postcode_file == "lcr-digital-strategy-2021/postcodes.txt"
        db.session.rollback()
        downgrade(revision=before)
        assert "area_codes" not in {c["name"] for c in inspect(db.engine).get_columns("consultations")}
        db.session.remove()
        db.engine.dispose()
