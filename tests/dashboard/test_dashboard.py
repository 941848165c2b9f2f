"""The supervisors' dashboard against known data, and its CSV reports."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import update

from service.dao.calls import NewCall, log_call
from service.dao.dashboard import get_dashboard
from service.dao.printing import mark_batch_posted, mark_batch_sent_to_print
from service.extensions import db
from service.models import CallChannel, CallOutcome, PaperRequest, PrintFormat, Return, ReturnStatus, Role, StatusChange
from service.models.consultations import UK
from service.models.types import utcnow
from tests.factories import make_consultation, make_request, make_staff
from workers.jobs import build_print_batch, print_run, render_request_packs


def known_data():
    # The figures below were written for braille and audio made by hand, as on a machine without the tools.
    saved = current_app.config["FORMAT_TOOLS_PATH"]
    current_app.config["FORMAT_TOOLS_PATH"] = "/nonexistent"
    try:
        return _known_data()
    finally:
        current_app.config["FORMAT_TOOLS_PATH"] = saved


def _known_data():
    """Six requests over two days on two channels, one posted batch, two returns, a callback."""
    consultation = make_consultation("dash", title="Dashboard consultation")
    handler = make_staff(Role.CALL_HANDLER)
    yesterday = utcnow() - timedelta(days=1)
    made = [
        make_request(consultation, handler, name="A One", postcode="L1 8JQ"),
        make_request(consultation, handler, name="B Two", postcode="L1 8JQ", address_line_1="2 Road"),
        make_request(consultation, handler, name="C Three", postcode="CH41 1AA", print_format=PrintFormat.LARGE_PRINT),
        make_request(consultation, handler, name="D Four", postcode="WA8 7QL", print_format=PrintFormat.BRAILLE),
        make_request(consultation, handler, name="E Five", postcode="SW1A 1AA"),
        make_request(consultation, handler, name="F Six", postcode="L20 3NJ", print_format=PrintFormat.AUDIO),
    ]
    # Two of them came in yesterday through the phone menu.
    db.session.execute(
        update(PaperRequest)
        .where(PaperRequest.id.in_([made[4].id, made[5].id]))
        .values(created_at=yesterday, channel=CallChannel.PHONE_MENU)
    )
    db.session.commit()
    # Braille is overdue; audio is still due.
    db.session.execute(
        update(PaperRequest).where(PaperRequest.id == made[3].id).values(fulfilment_due_on=date(2020, 1, 1))
    )
    db.session.commit()
    # The first three get printed; the batch of two standard packs is posted, two days after the requests.
    for request in made[:3]:
        render_request_packs(request.id)
    for batch_id in print_run():
        build_print_batch(batch_id)
        from service.dao.printing import get_batch

        batch = get_batch(batch_id)
        if batch.format == PrintFormat.STANDARD:
            mark_batch_sent_to_print(batch, handler.id, "Test")
            mark_batch_posted(batch, utcnow().astimezone(UK).date(), handler.id, "Test")
    db.session.execute(
        update(StatusChange).where(StatusChange.to_status == "posted").values(at=utcnow() + timedelta(days=2))
    )
    db.session.commit()
    pack = db.session.get(PaperRequest, made[0].id).packs[0]
    db.session.add_all(
        [
            Return(
                consultation_id=consultation.id,
                pack_id=pack.id,
                received_on=date.today(),
                status=ReturnStatus.VERIFIED,
                is_late=True,
            ),
            Return(
                consultation_id=consultation.id, pack_id=None, received_on=date.today(), status=ReturnStatus.KEYED_ONCE
            ),
        ]
    )
    db.session.commit()
    log_call(
        NewCall(consultation.id, CallOutcome.CALLBACK_NEEDED, callback_due_at=utcnow() - timedelta(hours=1)), handler.id
    )
    log_call(
        NewCall(consultation.id, CallOutcome.CALLBACK_NEEDED, callback_due_at=utcnow() + timedelta(days=1)), handler.id
    )
    return consultation


def test_the_figures_match_known_data(app_ctx):
    consultation = known_data()
    dashboard = get_dashboard(consultation.id, utcnow())
    today = utcnow().astimezone(UK).date()
    by_day = {day: counts for day, counts in dashboard.requests_by_day}
    assert by_day[today] == {CallChannel.HANDLER: 4, CallChannel.PHONE_MENU: 0}
    assert by_day[today - timedelta(days=1)] == {CallChannel.HANDLER: 0, CallChannel.PHONE_MENU: 2}
    assert dict(dashboard.requests_by_format) == {
        "Standard print": 3,
        "Large print": 1,
        "Easy read": 0,
        "Braille": 1,
        "Audio": 1,
        "Another language": 0,
    }
    authorities = dict(dashboard.requests_by_authority)
    assert authorities["Liverpool"] == 2 and authorities["Wirral"] == 1 and authorities["Halton"] == 1
    assert authorities["Sefton"] == 1 and authorities["Outside the city region"] == 1 and authorities["Knowsley"] == 0
    # Waiting: the large-print pack in its batch and E Five's pack not yet made; posted: A and B.
    assert dashboard.packs == {"waiting": 2, "printed": 0, "posted": 2}
    assert dashboard.median_days_to_post == 2.0
    assert dashboard.returns == {
        "received": 2,
        "keyed": 2,
        "verified": 1,
        "in_dispute": 0,
        "late": 1,
        "unreferenced": 1,
    }
    assert dashboard.alternative_formats == {"due": 1, "overdue": 1}
    assert dashboard.callbacks == {"open": 2, "due": 1}


def test_the_screen_shows_each_chart_with_its_numbers_in_a_table(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation_id = known_data().id
    response = client.get("/dashboard")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dashboard consultation" in page
    for table_id in ("requests-by-day", "requests-by-format", "requests-by-local-authority"):
        assert f'id="{table_id}"' in page
    assert page.count('role="img"') == 3  # one chart per table
    # Where the local authorities come from, which release, and the credit the Open Government Licence asks for.
    assert "from the ONS Postcode Directory, November 2025 release" in page
    credit = page.split('id="postcode-directory-credit"', 1)[1].split("</p>", 1)[0]
    assert "Source: Office for National Statistics licensed under the Open Government Licence v.3.0" in credit
    format_table = page.split('id="requests-by-format"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<th scope=\"row\">Standard print</th><td class=\"numeric\">3</td>", format_table)
    report = client.get(f"/dashboard/{consultation_id}/requests-by-local-authority.csv")
    rows = list(csv.reader(io.StringIO(report.get_data(as_text=True))))
    assert (
        rows[0] == ["Local authority", "Requests"]
        and ["Liverpool", "2"] in rows
        and ["Outside the city region", "1"] in rows
    )
    day_rows = list(
        csv.reader(io.StringIO(client.get(f"/dashboard/{consultation_id}/requests-by-day.csv").get_data(as_text=True)))
    )
    assert day_rows[0] == ["Date", "Call handler", "Phone menu", "Total"] and len(day_rows) == 3


def test_braille_and_audio_made_by_the_service_are_counted(app, client, staff, monkeypatch):
    """Made, waiting, failed, in print, posted: the service's own copies; made by hand apart."""
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation = make_consultation("made", title="Made by the service")
        handler = make_staff(Role.CALL_HANDLER)
        posted = make_request(consultation, handler, name="A One", print_format=PrintFormat.BRAILLE)
        ready = make_request(consultation, handler, name="B Two", print_format=PrintFormat.BRAILLE, copies=2)
        waiting = make_request(consultation, handler, name="C Three", print_format=PrintFormat.AUDIO)
        failed = make_request(consultation, handler, name="D Four", print_format=PrintFormat.AUDIO)
        assert render_request_packs(posted.id) == "made"
        for batch_id in print_run():
            build_print_batch(batch_id)
            from service.dao.printing import get_batch

            batch = get_batch(batch_id)
            mark_batch_sent_to_print(batch, handler.id, "Test")
            mark_batch_posted(batch, utcnow().astimezone(UK).date(), handler.id, "Test")
        assert render_request_packs(ready.id) == "made"
        from service.dao.printing import mark_pack_failed
        from service.dao.requests import get_request

        mark_pack_failed(get_request(failed.id), "espeak-ng stopped with exit status 1")
        monkeypatch.setitem(current_app.config, "FORMAT_TOOLS_PATH", "/nonexistent")  # no tools: by hand
        by_hand = make_request(consultation, handler, name="E Five", print_format=PrintFormat.AUDIO)
        assert by_hand.status.value == "alternative_format_due" and waiting.status.value == "waiting_for_pack"
        consultation_id = consultation.id

        figures = dict(get_dashboard(consultation_id, utcnow()).made_by_service)
    assert figures["Braille"] == {
        "made": 3, "waiting": 0, "failed": 0, "in_print": 2, "posted": 1, "sent": 0, "by_hand": 0,
    }  # fmt: skip
    assert figures["Audio"] == {
        "made": 0, "waiting": 1, "failed": 1, "in_print": 0, "posted": 0, "sent": 0, "by_hand": 1,
    }  # fmt: skip
    page = client.get(f"/dashboard/{consultation_id}").get_data(as_text=True)
    table = page.split('id="made-by-service"', 1)[1].split("</table>", 1)[0]
    assert "Ready or in print</th>" in table
    assert re.search(r'<th scope="row">Braille</th><td class="numeric">3</td><td class="numeric">0</td>', table)
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/dashboard/{consultation_id}/braille-and-audio.csv").get_data(as_text=True))
        )
    )
    assert rows[0][:3] == ["Format", "Made", "Waiting to be made"]
    assert rows[2] == ["Audio", "0", "1", "1", "0", "0", "0", "1"]
