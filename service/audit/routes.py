"""The audit trail screen, for supervisors: filtered, paged, in sentences, and downloadable as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace

from flask import Flask, Response, current_app, render_template, request, url_for
from flask_login import current_user

from service.audit import bp
from service.audit.filters import NO_ONE, OBJECT_KINDS, action_choices, read_filter
from service.audit.sentences import Names, describe, names_for, object_name, who
from service.auth import role_required
from service.dao.audit import AuditSearch, audit_chunk, record_audit_download, search_audit, staff_accounts
from service.models import AuditEvent, Role
from service.models.types import utcnow
from service.templating import uk_time
from service.text import spreadsheet_cell

supervisors = role_required(Role.SUPERVISOR)
CSV_COLUMNS = ("When", "Who", "What happened", "Record")


@bp.get("")
@supervisors
def index():
    chosen = read_filter(request.args)
    page = search_audit(chosen.search) if not chosen.errors else None
    events = page.items if page else []
    names = names_for(events)
    return render_template(
        "audit/index.html",
        chosen=chosen,
        page=page,
        rows=[(event, who(event), describe(event, names), _record(event, names)) for event in events],
        staff=staff_accounts(),
        actions=action_choices(),
        object_kinds=OBJECT_KINDS,
        no_one=NO_ONE,
    )


@bp.get("/audit-trail.csv")
@supervisors
def download():
    chosen = read_filter(request.args)
    if chosen.errors:
        return index()  # the same screen, each wrong filter explained beside its field
    # The download is itself recorded; it lists what was there when it was asked for, not its own entry.
    now = utcnow()
    search = replace(chosen.search, before=min(chosen.search.before or now, now), page=1)
    record_audit_download(current_user.id, search_audit(search).total)
    return Response(
        _csv_rows(current_app._get_current_object(), search),
        mimetype="text/csv",
        headers={
            "Content-Disposition": "attachment; filename=audit-trail.csv",
            "Cache-Control": "no-store",
        },
    )


def _csv_rows(app: Flask, search: AuditSearch) -> Iterator[str]:
    """The CSV, a chunk of entries at a time, each read in an app context of its own: the view's has ended by
    the time the server sends the rest, and a chunk's query must not outlive its context."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    last = None
    while True:
        with app.app_context():
            events = audit_chunk(search, last)
            names = names_for(events)
            for event in events:
                cells = (
                    uk_time(event.at, "%Y-%m-%d %H:%M:%S"),
                    who(event),
                    describe(event, names),
                    _record_text(event, names),
                )
                # Every cell goes through the one spreadsheet guard: a display name may start with "=".
                writer.writerow([spreadsheet_cell(cell) for cell in cells])
            last = (events[-1].at, events[-1].id) if events else None
        yield out.getvalue()
        out.seek(0)
        out.truncate()
        if last is None:
            return


def _record_text(event: AuditEvent, names: Names) -> str:
    if not event.entity_type or event.entity_id is None:
        return ""
    text = object_name(event.entity_type, event.entity_id, names)
    return text[0].upper() + text[1:]


def _record(event: AuditEvent, names: Names) -> tuple[str, str | None]:
    """The record an entry is about, as text and where a supervisor can go to see it (or None)."""
    text = _record_text(event, names)
    if not text:
        return "", None
    if event.entity_type == "request":
        return text, url_for("requests.show", request_id=event.entity_id)
    if event.entity_type == "print_batch":
        return text, url_for("print_batches.show", batch_id=event.entity_id)
    if event.entity_type == "caller":  # the person's page is gone once erased: their entries stay here
        return text, url_for("audit.index", object_type="caller", object=event.entity_id)
    if event.entity_type == "staff_user" and event.entity_id in names.usernames:
        return text, url_for("audit.index", object_type="account", object=names.usernames[event.entity_id])
    return text, None
