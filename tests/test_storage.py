"""The file store: a key names a file inside the store and nowhere else, and a write lands whole in new folders."""

from __future__ import annotations

import pytest
from flask import Flask

from service import storage


@pytest.fixture
def store(tmp_path) -> Flask:
    """An app whose store is a folder not yet made (a fresh machine's)."""
    app = Flask(__name__)
    app.config["FILE_STORE_DIR"] = str(tmp_path / "store")
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    "key", ["../outside.pdf", "packs/../../outside.pdf", "/etc/passwd", "packs/../..", "", ".", "packs/.."]
)
def test_a_key_that_leads_out_of_the_store_is_refused(store, key):
    with pytest.raises(ValueError, match="escapes the store"):
        storage.path_for(key)


def test_a_key_names_a_file_inside_the_store(store, tmp_path):
    assert storage.path_for("packs/ab/cd.pdf") == tmp_path / "store" / "packs" / "ab" / "cd.pdf"
    assert storage.path_for("packs/x/../cd.pdf") == tmp_path / "store" / "packs" / "cd.pdf"


def test_a_file_is_written_into_folders_that_do_not_exist_yet_and_only_appears_whole(store, tmp_path):
    handle, temporary = storage.open_for_writing("packs/ab/new.pdf")
    with handle:
        handle.write(b"%PDF-1.4 half")
        assert not storage.path_for("packs/ab/new.pdf").exists()  # nobody reads a file being written
    storage.commit_file(temporary, "packs/ab/new.pdf")
    assert storage.path_for("packs/ab/new.pdf").read_bytes() == b"%PDF-1.4 half"
    assert not temporary.exists()


def test_a_file_is_written_after_its_folder_was_removed(store, tmp_path):
    handle, temporary = storage.open_for_writing("packs/ab/one.pdf")
    with handle:
        handle.write(b"one")
    storage.commit_file(temporary, "packs/ab/one.pdf")
    storage.delete("packs/ab/one.pdf")
    (tmp_path / "store" / "packs" / "ab").rmdir()  # as a clean-up of empty folders would
    handle, temporary = storage.open_for_writing("packs/ab/two.pdf")
    with handle:
        handle.write(b"two")
    storage.commit_file(temporary, "packs/ab/two.pdf")
    assert storage.path_for("packs/ab/two.pdf").read_bytes() == b"two"
