"""Inserting a new request: its caller, its call, the request, its first status, one pack per copy and the
audit entry, as table rows built once and written in one statement on PostgreSQL.

The handler is on the phone while this runs, and it is most of logging a request. Through the ORM's unit
of work it was six round trips and twice the database's own time in Python (8 ms a request on PostgreSQL
on the benchmark machine, against 4 on SQLite). Here every row's values, the columns' Python-side defaults
included, are made first (`_rows`); PostgreSQL then inserts them all in one statement of data-changing CTEs,
and SQLite, which cannot put an INSERT in a CTE, one row after another. A copy whose random reference is
already taken is left out by ON CONFLICT DO NOTHING and drawn again afterwards (`dao.requests._new_pack`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import ARRAY, BindParameter, Insert, Select, Table, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from service.dao.audit import audit_values
from service.extensions import db
from service.models import AuditEvent, Call, Caller, Pack, PaperRequest, StatusChange
from service.models.callers import match_keys
from service.models.calls import request_outcome
from service.models.types import utcnow
from service.reference import new_reference

if TYPE_CHECKING:
    from service.dao.requests import NewRequest

CALLERS: Table = Caller.__table__  # type: ignore[assignment]
CALLS: Table = Call.__table__  # type: ignore[assignment]
REQUESTS: Table = PaperRequest.__table__  # type: ignore[assignment]
STATUS_CHANGES: Table = StatusChange.__table__  # type: ignore[assignment]
PACKS: Table = Pack.__table__  # type: ignore[assignment]
AUDIT_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class InsertedRequest:
    request_id: int
    caller_id: int
    copy_numbers: frozenset[int]  # fewer than asked for only where a copy's reference was already taken


@dataclass(frozen=True)
class RequestRows:
    """The values of each row a new request makes; ids of rows made in the same insert are left out."""

    caller: dict[str, Any]
    call: dict[str, Any] | None  # None: the request belongs to a call already logged
    request: dict[str, Any]
    first_status: dict[str, Any]
    copies: tuple[dict[str, Any], ...]
    audit: dict[str, Any]


def with_defaults(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with every column's Python-side default the ORM would have filled in added (not the key)."""
    row = dict(values)
    for column in table.columns:
        default = column.default
        if column.primary_key or column.name in row or default is None:
            continue
        if default.is_scalar:
            row[column.name] = default.arg  # type: ignore[attr-defined]
        elif default.is_callable:
            row[column.name] = default.arg(None)  # type: ignore[attr-defined]  # SQLAlchemy's wrapper takes a context
    return row


def request_rows(
    details: NewRequest, actor_id: int | None, actor_label: str, audit_details: dict[str, Any]
) -> RequestRows:
    """Every row of a new request from its `NewRequest` details, stamped with one moment."""
    now: datetime = utcnow()
    caller = with_defaults(
        CALLERS,
        {
            "name": details.name,
            "address_line_1": details.address_line_1,
            "address_line_2": details.address_line_2,
            "address_line_3": details.address_line_3,
            "town": details.town,
            "postcode": details.postcode,
            "phone": details.phone,
            "email": details.email,
            **match_keys(details.name, details.address_line_1),
            "created_at": now,
        },
    )
    call = None
    if details.call_id is None:
        # Every request came from a call: log it, so the call log counts every caller.
        call = with_defaults(
            CALLS,
            {
                "consultation_id": details.consultation_id,
                "channel": details.channel,
                "handler_id": actor_id,
                "outcome": request_outcome(details.format.printed_here),
                "started_at": now,
            },
        )
    request = with_defaults(
        REQUESTS,
        {
            "consultation_id": details.consultation_id,
            **({"call_id": details.call_id} if details.call_id is not None else {}),  # else the call made with it
            "channel": details.channel,
            "format": details.format,
            "language": details.language,
            "copies": details.copies,
            "notes": details.notes,
            "status": details.status,
            "is_late": details.is_late,
            "local_authority": details.local_authority,
            "fulfilment_due_on": details.fulfilment_due_on,
            "duplicate_reason": details.duplicate_reason,
            "idempotency_key": details.idempotency_key,
            "delivery": details.delivery,
            "created_by_id": actor_id,
            "created_at": now,
            "updated_at": now,
        },
    )
    first_status = with_defaults(
        STATUS_CHANGES,
        {
            "from_status": None,
            "to_status": details.status.value,
            "actor_id": actor_id,
            "actor_label": actor_label,
            "at": now,
        },
    )
    copies = tuple(
        with_defaults(
            PACKS,
            {
                "reference": new_reference(),
                "consultation_id": details.consultation_id,
                "copy_number": number,
                "created_at": now,
            },
        )
        for number in range(1, details.copies + 1)
    )
    audit = with_defaults(
        AUDIT_EVENTS, {**audit_values(actor_id, "request.created", "request", audit_details), "at": now}
    )
    return RequestRows(caller, call, request, first_status, copies, audit)


def insert_request(rows: RequestRows) -> InsertedRequest:
    """Insert a new request's rows in the session's transaction (it commits with the rest)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return _insert_in_one_statement(rows)
    return _insert_step_by_step(rows)


# The statements are built once for each set of columns (a request with its own call or without), with a
# bound parameter per value, and run with the values each time: built per request, building them and finding
# them in SQLAlchemy's compiled cache took longer than PostgreSQL took to run them.


def _binds(table: Table, prefix: str, names: Iterable[str]) -> dict[str, BindParameter[Any]]:
    return {name: bindparam(f"{prefix}_{name}", type_=table.c[name].type) for name in names}


def _parameters(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}_{name}": value for name, value in values.items()}


def _shared_by_copies(copy: dict[str, Any]) -> tuple[str, ...]:
    return tuple(name for name in copy if name not in ("reference", "copy_number"))


Columns = tuple[str, ...]


@lru_cache(maxsize=8)
def _one_statement(
    caller: Columns, call: Columns | None, request: Columns, first_status: Columns, copy: Columns, audit: Columns
) -> Select[Any]:
    new_caller = insert(CALLERS).values(_binds(CALLERS, "caller", caller)).returning(CALLERS.c.id).cte("new_caller")
    caller_id = select(new_caller.c.id).scalar_subquery()
    ctes = [new_caller]
    request_values: dict[str, Any] = {**_binds(REQUESTS, "request", request), "caller_id": caller_id}
    if call is not None:
        call_values = {**_binds(CALLS, "call", call), "caller_id": caller_id}
        new_call = insert(CALLS).values(call_values).returning(CALLS.c.id).cte("new_call")
        ctes.append(new_call)
        request_values["call_id"] = select(new_call.c.id).scalar_subquery()
    new_request = insert(REQUESTS).values(request_values).returning(REQUESTS.c.id).cte("new_request")
    request_id = select(new_request.c.id).scalar_subquery()
    history_values = {**_binds(STATUS_CHANGES, "status", first_status), "request_id": request_id}
    ctes += [new_request, insert(STATUS_CHANGES).values(history_values).cte("first_status")]
    # Every copy from two arrays (references, copy numbers) beside the values they share: a many-row VALUES
    # is a statement SQLAlchemy cannot cache.
    each = (
        func.unnest(
            bindparam("references", type_=ARRAY(PACKS.c.reference.type)),
            bindparam("copy_numbers", type_=ARRAY(PACKS.c.copy_number.type)),
        )
        .table_valued("reference", "copy_number")
        .render_derived()
    )
    shared = _binds(PACKS, "copy", copy)
    copies_source = select(each.c.reference, each.c.copy_number, request_id, *shared.values())
    copies = (
        postgresql_insert(PACKS)
        .from_select(["reference", "copy_number", "request_id", *shared], copies_source)
        .on_conflict_do_nothing(index_elements=[PACKS.c.reference])
        .returning(PACKS.c.copy_number)
        .cte("copies")
    )
    audit_values = {**_binds(AUDIT_EVENTS, "audit", audit), "entity_id": request_id}
    ctes += [copies, insert(AUDIT_EVENTS).values(audit_values).cte("audit")]
    copy_numbers = select(func.array_agg(copies.c.copy_number)).scalar_subquery()
    return select(request_id, caller_id, copy_numbers).add_cte(*ctes)


def _insert_in_one_statement(rows: RequestRows) -> InsertedRequest:
    statement = _one_statement(
        tuple(rows.caller),
        tuple(rows.call) if rows.call is not None else None,
        tuple(rows.request),
        tuple(rows.first_status),
        _shared_by_copies(rows.copies[0]),
        tuple(rows.audit),
    )
    parameters = {
        **_parameters("caller", rows.caller),
        **_parameters("call", rows.call or {}),
        **_parameters("request", rows.request),
        **_parameters("status", rows.first_status),
        **_parameters("copy", {name: rows.copies[0][name] for name in _shared_by_copies(rows.copies[0])}),
        **_parameters("audit", rows.audit),
        "references": [copy["reference"] for copy in rows.copies],
        "copy_numbers": [copy["copy_number"] for copy in rows.copies],
    }
    request_id, caller_id, copy_numbers = db.session.execute(statement, parameters).one()
    return InsertedRequest(request_id, caller_id, frozenset(copy_numbers or ()))


@lru_cache(maxsize=32)
def _insert_row(table: Table, prefix: str, columns: Columns, ids: Columns, returning: str | None) -> Insert:
    values = {**_binds(table, prefix, columns), **_binds(table, prefix, ids)}
    statement: Insert = insert(table).values(values)
    if table is PACKS:  # a reference already taken inserts nothing (drawn again by the caller)
        statement = sqlite_insert(table).values(values).on_conflict_do_nothing(index_elements=[PACKS.c.reference])
    return statement.returning(table.c[returning]) if returning else statement


def _step(table: Table, prefix: str, values: dict[str, Any], returning: str | None = None, **ids: Any) -> Any:
    statement = _insert_row(table, prefix, tuple(values), tuple(ids), returning)
    result = db.session.execute(statement, _parameters(prefix, {**values, **ids}))
    return result.scalar() if returning else None


def _insert_step_by_step(rows: RequestRows) -> InsertedRequest:
    caller_id = _step(CALLERS, "caller", rows.caller, "id")
    ids = {"caller_id": caller_id}
    if rows.call is not None:
        ids["call_id"] = _step(CALLS, "call", rows.call, "id", caller_id=caller_id)
    request_id = _step(REQUESTS, "request", rows.request, "id", **ids)
    _step(STATUS_CHANGES, "status", rows.first_status, request_id=request_id)
    copy_numbers = {_step(PACKS, "copy", copy, "copy_number", request_id=request_id) for copy in rows.copies}
    _step(AUDIT_EVENTS, "audit", rows.audit, entity_id=request_id)
    return InsertedRequest(request_id, caller_id, frozenset(copy_numbers - {None}))
