"""A pack has one original return, held by the database: receipts of the same form at the same moment (two
keyers scanning one envelope's forms, a scan job and a barcode) make one original and duplicates of it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.extensions import db
from service.models import Pack, Return
from service.returns.receipt import receive
from tests.factories import day

ROOT = Path(__file__).resolve().parents[2]
RECEIVERS = 6

# Each process waits for the go file, then receives the same pack once: the moments differ by microseconds.
RECEIVER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from datetime import date
    from service import create_app
    from service.extensions import db
    from service.models import Consultation, Pack
    from service.returns.receipt import receive

    app = create_app()
    with app.app_context():
        pack = db.session.get(Pack, int(sys.argv[1]))
        consultation = db.session.get(Consultation, pack.consultation_id)
        Path(sys.argv[2] + "." + str(os.getpid())).touch()  # ready
        while not Path(sys.argv[2]).exists():
            time.sleep(0.001)
        ret = receive(consultation, pack, date.fromisoformat(sys.argv[3]), None)
        print(ret.id)
    """
)


def _returns_of(pack_id: int) -> list[Return]:
    db.session.expire_all()
    return list(db.session.scalars(select(Return).where(Return.pack_id == pack_id).order_by(Return.id)))


def test_the_database_refuses_a_second_original_return_for_one_pack(consultation, reference):
    pack = db.session.scalar(select(Pack).where(Pack.reference == reference))
    received = receive(consultation, pack, day(-1), None)
    db.session.add(Return(consultation_id=consultation.id, pack_id=pack.id, received_on=day(0)))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    again = receive(consultation, pack, day(0), None)
    assert again.duplicate_of_id == received.id


def test_a_receipt_that_lost_the_race_is_recorded_as_the_duplicate(consultation, reference, monkeypatch):
    """The look found no original because the other receipt had not committed yet: the write is refused,
    and the receipt looks again instead of failing."""
    from service.dao import returns as returns_dao

    pack = db.session.scalar(select(Pack).where(Pack.reference == reference))
    first = receive(consultation, pack, day(-1), None)
    looks = []
    real_look = returns_dao._original_return

    def look_that_misses_it_once(pack_id):
        looks.append(pack_id)
        return None if len(looks) == 1 else real_look(pack_id)

    monkeypatch.setattr(returns_dao, "_original_return", look_that_misses_it_once)
    second = receive(consultation, pack, day(0), None)
    assert len(looks) == 2
    assert second.duplicate_of_id == first.id
    assert [r.duplicate_of_id for r in _returns_of(pack.id)] == [None, first.id]


def test_receipts_of_one_pack_in_separate_processes_at_once_make_one_original(
    app, consultation, reference, database_url, file_store, tmp_path
):
    pack_id = db.session.scalar(select(Pack.id).where(Pack.reference == reference))
    db.session.commit()
    go = tmp_path / "go"
    env = dict(os.environ, DATABASE_URL=database_url, FILE_STORE_DIR=str(file_store), SURVEY_LINE_ENV="test",
               REDIS_URL=app.config["REDIS_URL"], PYTHONPATH=str(ROOT))  # fmt: skip
    command = [sys.executable, "-c", RECEIVER, str(pack_id), str(go), day(-1).isoformat()]
    receivers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(RECEIVERS)
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("go.*"))) < RECEIVERS and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()
    outputs = [receiver.communicate(timeout=120)[0].decode() for receiver in receivers]
    assert [receiver.returncode for receiver in receivers] == [0] * RECEIVERS, outputs
    returns = _returns_of(pack_id)
    assert len(returns) == RECEIVERS
    originals = [r for r in returns if r.duplicate_of_id is None]
    assert len(originals) == 1
    assert {r.duplicate_of_id for r in returns if r is not originals[0]} == {originals[0].id}
