"""What the render job reads and writes: one request's copies to draw, read in one query, and what was drawn,
saved in one transaction.

Plain rows, not mapped objects: loading the request with its copies, caller and consultation through the ORM
took twice the database's own time, and the job's time beyond the drawing is what limits how fast requests
become packs (benchmarks/print_batch.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Row, Table, and_, bindparam, insert, select, text, update

from service.dao import rows_changed, transactional
from service.dao.consultations import questionnaire_version
from service.dao.printing import StoredFile
from service.dao.requests import RequestChangedMeanwhile
from service.extensions import db
from service.models import REQUEST_STATES, Caller, Consultation, Pack, PaperRequest, PrintFormat, RequestStatus
from service.models.audit import StatusChange
from service.models.callers import address_lines
from service.models.types import utcnow

WORKER = "Print worker"


@dataclass(frozen=True)
class Copy:
    """One live copy of the request (not cancelled on its own)."""

    pack_id: int
    reference: str
    drawn: bool  # rendered already (by an earlier run of the job, say)
    page_count: int | None


@dataclass(frozen=True)
class RenderWork:
    """What the render job needs of one request, as read at the start of the job."""

    request_id: int
    status: RequestStatus
    format: PrintFormat
    requested_at: datetime
    recipient_name: str
    address_lines: tuple[str, ...]
    consultation: Row[
        *tuple[Any, ...]
    ]  # the consultation's columns a pack prints, by name (packs.assemble.consultation_facts)
    questionnaire_file: str
    copies: tuple[Copy, ...]
    # PostgreSQL: the autocommit connection it was read on, which saves it in one statement (see `rendering`).
    connection: Connection | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Drawn:
    """A copy the job has just drawn: its file in the store (None: counted as rendered, no file kept)."""

    pack_id: int
    stored: StoredFile | None
    page_count: int


_FACT_COLUMNS = (
    Consultation.slug,
    Consultation.organisation,
    Consultation.title,
    Consultation.summary,
    Consultation.phone_line,
    Consultation.online_survey_url,
    Consultation.closes_on,
    Consultation.after_closing,
    Consultation.freepost_address,
    Consultation.questionnaire_file,
    Consultation.decision_on,
    Consultation.late_replies_until,
    Consultation.is_draft,
    Consultation.letter_text,
)
_RENDER_WORK = (
    select(
        PaperRequest.status,
        PaperRequest.format,
        PaperRequest.created_at,
        Caller.name,
        Caller.address_line_1,
        Caller.address_line_2,
        Caller.address_line_3,
        Caller.town,
        Caller.postcode,
        *_FACT_COLUMNS,
        Pack.id.label("pack_id"),
        Pack.reference,
        Pack.rendered_at,
        Pack.page_count,
    )
    .join(Caller, Caller.id == PaperRequest.caller_id)
    .join(Consultation, Consultation.id == PaperRequest.consultation_id)
    .outerjoin(Pack, and_(Pack.request_id == PaperRequest.id, Pack.cancelled_at.is_(None)))
    .where(PaperRequest.id == bindparam("request_id"))
    .order_by(Pack.copy_number)
)


@contextmanager
def rendering(request_id: int) -> Iterator[RenderWork | None]:
    """The request `request_id` as the render job draws it (None if there is no such request); the job saves
    what it drew with `save_rendered_packs` inside the block.

    On PostgreSQL the read and the save (one statement) run on one connection of their own, in autocommit: each
    is a transaction alone, so neither waits for a BEGIN or a COMMIT round trip, and the connection is checked
    out (and pinged) once. Measured interleaved with reading and saving through the session: 0.95 ms less in a
    job of 17.9 ms. SQLite saves in several statements, so it keeps the session's transaction.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        yield load_render_work(request_id)
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield load_render_work(request_id, connection)


def load_render_work(request_id: int, connection: Connection | None = None) -> RenderWork | None:
    """The request `request_id` as the render job draws it, in one query (on `connection`, else the session);
    None if there is no such request."""
    rows = (connection or db.session).execute(_RENDER_WORK, {"request_id": request_id}).all()
    if not rows:
        return None
    first = rows[0]
    return RenderWork(
        request_id=request_id,
        status=first.status,
        format=first.format,
        requested_at=first.created_at,
        recipient_name=first.name,
        address_lines=tuple(
            address_lines(first.address_line_1, first.address_line_2, first.address_line_3, first.town, first.postcode)
        ),
        consultation=first,
        questionnaire_file=first.questionnaire_file,
        copies=tuple(
            Copy(row.pack_id, row.reference, row.rendered_at is not None, row.page_count)
            for row in rows
            if row.pack_id is not None
        ),
        connection=connection,
    )


@transactional
def save_rendered_packs(work: RenderWork, drawn: Sequence[Drawn], provider: str | None = None) -> None:
    """The copies drawn are rendered, and with them the request is ready (the print `provider` that takes it
    named on every live copy, so no print run takes a provider's pack meanwhile): one transaction.

    Compare-and-set: only a request still waiting for its pack, in the database, takes the files; its row is
    held until commit. A request erased or cancelled while it was drawn raises RequestChangedMeanwhile, and
    the job deletes the files it made (they hold a name and address that must not outlive the erasure).
    """
    REQUEST_STATES.check(RequestStatus.WAITING_FOR_PACK, RequestStatus.PACK_READY)
    now = utcnow()
    version = questionnaire_version(work.questionnaire_file)  # the definition just drawn
    if work.connection is not None:
        moved = _save_in_one_statement(work.connection, work, drawn, provider, now, version)
    else:
        moved = _save_step_by_step(work, drawn, provider, now, version)
    if moved != 1:
        raise RequestChangedMeanwhile(work.request_id)


_requests, _packs, _status_changes = (cast(Table, model.__table__) for model in (PaperRequest, Pack, StatusChange))
# Built once, their values bound at each run; table statements, not the mapped classes': there are no loaded
# objects to keep in step, and building and evaluating those was a third of the save on SQLite.
_MOVE = (
    update(_requests)
    .where(_requests.c.id == bindparam("request_id"), _requests.c.status == bindparam("waiting"))
    .values(status=bindparam("ready"), updated_at=bindparam("now"))
)
_HISTORY = insert(_status_changes).values(
    request_id=bindparam("request_id"),
    from_status=bindparam("waiting"),
    to_status=bindparam("ready"),
    actor_id=None,
    actor_label=bindparam("actor"),
    note="",
    at=bindparam("now"),
)
_FILE = (
    update(_packs)
    .where(_packs.c.id == bindparam("pack_id"))
    .values(
        file_key=bindparam("drawn_file_key"),
        file_size=bindparam("drawn_file_size"),
        file_sha256=bindparam("drawn_file_sha256"),
        page_count=bindparam("drawn_page_count"),
        rendered_at=bindparam("now"),
        questionnaire_version=bindparam("version"),
    )
)
_PROVIDER = (
    update(_packs)
    .where(_packs.c.id.in_(bindparam("pack_ids", expanding=True)))
    .values(provider=bindparam("given_provider"))
)


def _save_step_by_step(
    work: RenderWork, drawn: Sequence[Drawn], provider: str | None, now: datetime, version: int
) -> int:
    move = {
        "request_id": work.request_id,
        "waiting": RequestStatus.WAITING_FOR_PACK.value,
        "ready": RequestStatus.PACK_READY.value,
        "now": now,
    }
    moved = rows_changed(_MOVE, move)
    if moved != 1:
        return moved
    db.session.execute(_HISTORY, {**move, "actor": WORKER})
    if drawn:
        db.session.execute(
            _FILE,
            [
                {
                    "pack_id": copy.pack_id,
                    "drawn_file_key": copy.stored.key if copy.stored else None,
                    "drawn_file_size": copy.stored.size if copy.stored else None,
                    "drawn_file_sha256": copy.stored.sha256 if copy.stored else None,
                    "drawn_page_count": copy.page_count,
                    "now": now,
                    "version": version,
                }
                for copy in drawn
            ],
        )
    if work.copies:
        db.session.execute(_PROVIDER, {"pack_ids": [copy.pack_id for copy in work.copies], "given_provider": provider})
    return moved


# `_save_step_by_step` as one statement: on PostgreSQL each statement is a round trip to the server (in SQLite,
# a call in this process), and the five it took (the setting, the move, its history, the files, the provider)
# were half the render job's time beyond the drawing.
#
# Run in autocommit (`rendering`), the statement is a transaction alone. Its first line lets that transaction's
# commit return before PostgreSQL has written it to disk (asynchronous commit; the setting ends with it), and
# the move happens only once the setting is off. Only a render may: a render a database crash loses leaves its request
# waiting for its pack, the sweep queues it again and the same bytes are drawn; and nothing that depends on it
# can outlive it, since any later ordinary commit (a print batch claiming the pack, a provider's reference)
# waits for the log up to itself, which is written in order. The copies are changed only if the request moved.
# `packs.request_id` is named so the plan PostgreSQL keeps for the prepared statement reads the request's copies
# by index: joined on the ids alone, it read the whole table at every render (slower as the packs grew).
_SAVE_RENDERED_PACKS = text(
    """
WITH asynchronous_commit AS (SELECT set_config('synchronous_commit', 'off', true) AS setting),
moved AS (
    UPDATE requests SET status = :ready, updated_at = :now
    WHERE id = :request_id AND status = :waiting AND (SELECT setting FROM asynchronous_commit) = 'off'
    RETURNING id
),
history AS (
    INSERT INTO status_changes (request_id, from_status, to_status, actor_id, actor_label, note, at)
    SELECT id, :waiting, :ready, NULL, :actor, '', :now FROM moved
),
copies AS (
    UPDATE packs SET
        file_key = CASE WHEN copy.drawn THEN copy.file_key ELSE packs.file_key END,
        file_size = CASE WHEN copy.drawn THEN copy.file_size ELSE packs.file_size END,
        file_sha256 = CASE WHEN copy.drawn THEN copy.file_sha256 ELSE packs.file_sha256 END,
        page_count = CASE WHEN copy.drawn THEN copy.page_count ELSE packs.page_count END,
        rendered_at = CASE WHEN copy.drawn THEN :now ELSE packs.rendered_at END,
        questionnaire_version = CASE WHEN copy.drawn THEN :version ELSE packs.questionnaire_version END,
        provider = :provider
    FROM unnest(
        CAST(:pack_ids AS integer[]), CAST(:drawn AS boolean[]), CAST(:file_keys AS varchar[]),
        CAST(:file_sizes AS integer[]), CAST(:file_hashes AS varchar[]), CAST(:page_counts AS integer[])
    ) AS copy(pack_id, drawn, file_key, file_size, file_sha256, page_count)
    WHERE packs.request_id = :request_id AND packs.id = copy.pack_id AND EXISTS (SELECT FROM moved)
)
SELECT count(*) FROM moved
"""
)


def _save_in_one_statement(
    connection: Connection, work: RenderWork, drawn: Sequence[Drawn], provider: str | None, now: datetime, version: int
) -> int:
    just_drawn = {copy.pack_id: copy for copy in drawn}
    files = [just_drawn.get(copy.pack_id) for copy in work.copies]  # every live copy: the drawn ones with files
    stored = [copy.stored if copy else None for copy in files]
    return connection.execute(
        _SAVE_RENDERED_PACKS,
        {
            "request_id": work.request_id,
            "waiting": RequestStatus.WAITING_FOR_PACK.value,
            "ready": RequestStatus.PACK_READY.value,
            "actor": WORKER,
            "now": now,
            "version": version,
            "provider": provider,
            "pack_ids": [copy.pack_id for copy in work.copies],
            "drawn": [copy is not None for copy in files],
            "file_keys": [file.key if file else None for file in stored],
            "file_sizes": [file.size if file else None for file in stored],
            "file_hashes": [file.sha256 if file else None for file in stored],
            "page_counts": [copy.page_count if copy else None for copy in files],
        },
    ).scalar_one()
