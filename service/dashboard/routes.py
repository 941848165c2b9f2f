"""The supervisors' dashboard for one consultation, and its figures as CSV reports."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, redirect, render_template, request, url_for

from service.auth import role_required
from service.dao.consultations import get_consultation, list_consultations, list_open_consultations
from service.dao.dashboard import MADE_BY_SERVICE_COLUMNS, Dashboard, get_dashboard
from service.dashboard import bp
from service.geo import postcode_directory
from service.geo.postcode_directory import release_of
from service.labels import field_label
from service.models import CallChannel, Role
from service.models.types import uk_today, utcnow
from service.params import bounded_int
from service.web import get_or_404

supervisors = role_required(Role.SUPERVISOR)


def _report_rows(dashboard: Dashboard) -> dict[str, tuple[list[str], list[list]]]:
    """Each report: its columns and rows. The same numbers as the charts and tables on screen."""
    channels = list(CallChannel)
    return {
        "requests-by-day": (
            ["date", *[c.label for c in channels], "total"],
            [
                [day.isoformat(), *[counts[c] for c in channels], sum(counts.values())]
                for day, counts in dashboard.requests_by_day
            ],
        ),
        "requests-by-format": (["format", "requests"], [list(row) for row in dashboard.requests_by_format]),
        "requests-by-local-authority": (
            ["local_authority", "requests"],
            [list(row) for row in dashboard.requests_by_authority],
        ),
        "packs": (["packs", "count"], [[k, v] for k, v in dashboard.packs.items()]),
        "returns": (["returns", "count"], [[k.replace("_", " "), v] for k, v in dashboard.returns.items()]),
        "braille-and-audio": (
            ["format", *MADE_BY_SERVICE_COLUMNS.values()],
            [[label, *counts.values()] for label, counts in dashboard.made_by_service],
        ),
    }


def _default_consultation_id() -> int | None:
    """The consultation open now (the soonest to close), else the most recent one."""
    chosen = list_open_consultations(uk_today()) or list_consultations()
    return chosen[0].id if chosen else None


@bp.get("")
@supervisors
def index():
    consultation_id = request.args.get("consultation", type=bounded_int) or _default_consultation_id()
    if consultation_id is None:
        return render_template("dashboard/empty.html")
    return redirect(url_for("dashboard.show", consultation_id=consultation_id))


@bp.get("/<int:consultation_id>")
@supervisors
def show(consultation_id: int):
    consultation = get_or_404(get_consultation, consultation_id)
    dashboard = get_dashboard(consultation_id, utcnow())
    return render_template(
        "dashboard/show.html",
        consultation=consultation,
        consultations=list_consultations(),
        dashboard=dashboard,
        channels=list(CallChannel),
        made_by_service_columns=MADE_BY_SERVICE_COLUMNS,
        reports=list(_report_rows(dashboard)),
        directory=postcode_directory,
        directory_release=release_of(consultation.area),
    )


@bp.get("/<int:consultation_id>/<report>.csv")
@supervisors
def report(consultation_id: int, report: str):
    consultation = get_or_404(get_consultation, consultation_id)
    reports = _report_rows(get_dashboard(consultation_id, utcnow()))
    if report not in reports:
        abort(404)
    columns, rows = reports[report]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([field_label(c) for c in columns])  # headers for people opening it in a spreadsheet
    writer.writerows(rows)
    filename = f"{consultation.slug}-{report}.csv"
    return Response(
        out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={filename}"}
    )
