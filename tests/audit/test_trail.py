"""The audit trail screen: filtered by who, what, which record and when; paged with a true total; in sentences;
each wrong filter explained beside its field with what was typed kept; downloadable as CSV."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime, time, timedelta

import pytest

from service.dao import transactional
from service.dao.audit import record_audit
from service.extensions import db
from service.models import AuditEvent, Caller, PaperRequest, Role
from service.models.consultations import UK
from service.models.types import uk_today
from service.personal_data.erasure import erase_person
from service.reference import format_reference
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request, make_staff
from workers.jobs import print_run

CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b|\[\'|\{\'")  # privacy.erased, ['name'], {'name'


def rows(page_text: str) -> list[str]:
    """The trail's rows as a person reads them: cells joined by " | "."""
    body = page_text.split('<table class="table" id="audit">', 1)[-1].split("</table>", 1)[0]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]:
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        found.append(" | ".join(cells))
    return found


def visible(page_text: str) -> str:
    main = page_text.split("<main", 1)[-1].split("</main>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


@transactional
def entry_at(at: datetime, actor_id: int | None, action: str, entity_type: str, entity_id: int, **details) -> None:
    """An entry made on another day (tests only: the service always writes the time now)."""
    record_audit(actor_id, action, entity_type, entity_id, **details).at = at


def days_ago(days: int, hour: int = 10) -> datetime:
    return datetime.combine(uk_today() - timedelta(days=days), time(hour), tzinfo=UK)


def test_entries_read_as_sentences_with_links_and_no_codes(app, client, staff):
    staff.sign_in(Role.SUPERVISOR, username="sam")
    with app.app_context():
        handler = make_staff(Role.CALL_HANDLER, username="hana", display_name="Hana Handler")
        request = make_request(make_consultation(), actor=handler)
        request_id, reference, caller_id = request.id, request.first_reference, request.caller_id
        erase_person(db.session.get(Caller, caller_id), None, "Retention schedule", "They asked us to")
        record_audit(None, "privacy.erased", "caller", caller_id, fields=["name", "address", "phone"])
        db.session.commit()
    page = client.get("/audit").get_data(as_text=True)
    shown = rows(page)
    logged = format_reference(reference)
    assert any(
        r.endswith(f"(hana) | Logged request {logged}: Standard print, 1 copy | Request {logged}") for r in shown
    )
    erased = f"Erased personal data of caller {caller_id}: name, address, phone number | Caller {caller_id}"
    assert any(r.endswith(erased) for r in shown)
    assert any(
        f"Erased personal data of caller {caller_id}: name, address; cancelled request {logged}" in r
        and r.endswith(f"Reason: They asked us to | Caller {caller_id}")
        for r in shown
    ), shown
    assert any("Test Supervisor" in r and "(sam) | Signed in" in r for r in shown)
    assert f'href="/requests/{request_id}"' in page
    assert f'href="/audit?object_type=caller&amp;object={caller_id}"' in page
    assert not CODE.search(visible(page)), CODE.search(visible(page))
    assert "Ada Lovelace" not in page  # names are never in the trail


def test_a_failed_sign_in_is_an_attempt_on_the_account_not_done_by_its_owner(app, client, staff):
    with app.app_context():
        make_staff(Role.CALL_HANDLER, username="jsmith", display_name="Jo Smith")
    for _ in range(2):
        client.post(
            "/sign-in",
            data={"username": "jsmith", "password": "wrong-guess-123", "csrf_token": csrf_token(client, "/sign-in")},
        )
    with app.app_context():
        jsmith = db.session.scalar(db.select(AuditEvent.entity_id).where(AuditEvent.action == "staff.sign_in_failed"))
        record_audit(None, "staff.sign_in_failed", "staff_user", jsmith, source_address="203.0.113.7", locked=False)
        db.session.commit()
    staff.sign_in(Role.SUPERVISOR)
    page = client.get("/audit?action=Failed+sign-in+attempt").get_data(as_text=True)
    shown = rows(page)
    assert len(shown) == 3 and all(
        "Someone not signed in | 1 failed sign-in attempt on account jsmith" in r for r in shown
    )
    assert "1 failed sign-in attempt on account jsmith from 203.0.113.7 | Account jsmith" in shown[0]
    assert "Jo Smith" not in "\n".join(shown)
    # Filtering by the owner does not list attempts on their account; "no one signed in" does.
    assert rows(client.get("/audit?who=jsmith").get_data(as_text=True)) == []
    assert len(rows(client.get("/audit?who=no-one&action=Failed+sign-in+attempt").get_data(as_text=True))) == 3
    about_account = rows(client.get("/audit?object_type=account&object=JSmith").get_data(as_text=True))
    assert len(about_account) == 4 and "Added account jsmith as call handler" in about_account[-1]


def test_filters_by_who_what_which_record_and_when(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        hana = make_staff(Role.CALL_HANDLER, username="hana")
        consultation = make_consultation()
        mine = make_request(consultation, actor=hana)
        other = make_request(consultation, name="Grace Hopper", address_line_1="1 Other Road", postcode="L2 2AA")
        db.session.execute(db.update(PaperRequest).values(status="pack_ready"))
        db.session.commit()
        (batch_id,) = print_run()
        entry_at(days_ago(20), hana.id, "call.logged", "call", 5, outcome="question")
        reference, other_caller = mine.first_reference, other.caller_id
    by_hana = rows(client.get("/audit?who=hana").get_data(as_text=True))
    assert len(by_hana) == 2 and all("(hana)" in r for r in by_hana)  # the request and the old call
    logged = rows(client.get("/audit?action=Logged+a+request").get_data(as_text=True))
    assert len(logged) == 2 and all("Logged request" in r for r in logged)
    about_request = rows(
        client.get(f"/audit?object_type=request&object={format_reference(reference)}").get_data(as_text=True)
    )
    # The request's own entries, and the print run that took it (about its batch).
    assert any("Ran a print run: 1 print batch" in r for r in about_request)
    assert all("Grace" not in r for r in about_request) and any("Logged request" in r for r in about_request)
    about_batch = rows(client.get(f"/audit?object_type=batch&object={batch_id}").get_data(as_text=True))
    assert [r.split(" | ")[1:3] for r in about_batch] == [
        ["The service (automatic)", f"Ran a print run: 1 print batch ({batch_id}), 2 packs"]
    ]
    about_person = rows(client.get(f"/audit?object_type=caller&object={other_caller}").get_data(as_text=True))
    assert len(about_person) == 1 and "Logged request" in about_person[0]
    today = uk_today()
    old = rows(client.get(f"/audit?to={today - timedelta(days=10):%Y-%m-%d}").get_data(as_text=True))
    assert len(old) == 1 and "Logged call 5: question" in old[0]
    recent = client.get(
        "/audit",
        query_string={"from-day": today.day, "from-month": today.month, "from-year": today.year, "who": "hana"},
    ).get_data(as_text=True)
    assert len(rows(recent)) == 1 and f'value="{today.year}"' in recent  # what was typed stays in the boxes


def test_paged_with_a_true_total_and_the_filters_kept_in_the_links(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        for n in range(120):
            record_audit(None, "privacy.viewed", "caller", 1000 + n)
        db.session.commit()
    first = client.get("/audit?action=Viewed+personal+data").get_data(as_text=True)
    assert "120 entries found, page 1 of 3" in visible(first) and len(rows(first)) == 50
    assert 'href="/audit?action=Viewed+personal+data&amp;page=2"' in first
    last = client.get("/audit?action=Viewed+personal+data&page=3").get_data(as_text=True)
    assert len(rows(last)) == 20 and "caller 1000" in rows(last)[-1]
    assert "selected>Viewed personal data</option>" in last


@pytest.mark.parametrize(
    ("query", "field", "message", "kept"),
    [
        ("who=nobody", "who", "Choose a member of staff from the list", None),
        ("action=Deleted+everything", "action", "Choose an action from the list", None),
        ("object_type=request&object=482+913+5571", "object", "This reference number is not right", "482 913 5571"),
        ("object_type=request&object=12", "object", "A reference number has 10 digits; this has 2", "12"),
        ("object_type=batch&object=%C2%B2", "object", "Enter the print batch&#39;s number in digits", "²"),
        ("object_type=batch&object=424242", "object", "There is no print batch 424242", "424242"),
        ("object_type=caller&object=9223372036854775808", "object", "Enter the caller&#39;s number in digits", None),
        (
            "object_type=account&object=%3Cb%3Eeve",
            "object",
            "There is no staff account with the username &lt;b&gt;eve",
            None,
        ),
        ("from-day=32&from-month=1&from-year=2026", "from", "From date must be a real date", 'value="32"'),
        ("to-day=1&to-month=1&to-year=999", "to", "Year must include 4 numbers", 'value="999"'),
        ("from=2026-03-10&to=2026-03-01", "to", "To date must be the same as or after the from date", None),
    ],
)
def test_a_wrong_filter_is_explained_beside_its_field_and_kept(client, staff, query, field, message, kept):
    staff.sign_in(Role.SUPERVISOR)
    for path in (f"/audit?{query}", f"/audit/audit-trail.csv?{query}"):  # the download says the same
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert page.count(message) == 2  # in the summary and beside the field
        assert f'id="{field}-error"' in page and 'aria-invalid="true"' in page
        assert 'id="audit"' not in page  # no results for a filter that could not be read
        if kept:
            assert kept in page


def test_the_csv_download_is_the_filtered_view_safe_for_spreadsheets(app, client, staff):
    supervisor_id = staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        sneaky = make_staff(Role.CALL_HANDLER, username="sneaky", display_name='=HYPERLINK("http://x")')
        record_audit(sneaky.id, "call.logged", "call", 7, outcome="question")
        record_audit(None, "privacy.viewed", "caller", 8)
        db.session.commit()
    response = client.get("/audit/audit-trail.csv?who=sneaky")
    assert response.mimetype == "text/csv" and "no-store" in response.headers["Cache-Control"]
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0] == ["When", "Who", "What happened", "Record"]
    assert [row[1:] for row in table[1:]] == [
        ['\'=HYPERLINK("http://x") (sneaky)', "Logged call 7: question", "Call 7"]
    ]
    with app.app_context():
        download = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (download.action, download.actor_id, download.details) == ("audit.exported", supervisor_id, {"rows": 1})
    page = client.get("/audit?who=sneaky").get_data(as_text=True)
    assert 'href="/audit/audit-trail.csv?who=sneaky"' in page


def test_who_erased_whom_last_week_in_one_filtered_view(app, client, staff):
    """The done-when question: one filter (what: erased; when: last week) answers who erased whom."""
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        sam = make_staff(Role.SUPERVISOR, username="sam", display_name="Sam Supervisor")
        kim = make_staff(Role.SUPERVISOR, username="kim", display_name="Kim Supervisor")
        consultation = make_consultation()
        callers = [
            make_request(consultation, name=f"Person {n}", address_line_1=f"{n} Road").caller_id for n in range(4)
        ]
        entry_at(days_ago(3), sam.id, "privacy.erased", "caller", callers[0], fields=["name", "address"])
        entry_at(days_ago(5), kim.id, "privacy.erased", "caller", callers[1], fields=["name", "phone"])
        entry_at(days_ago(12), sam.id, "privacy.erased", "caller", callers[2], fields=["name"])  # the week before
        entry_at(days_ago(4), sam.id, "privacy.viewed", "caller", callers[3])  # not an erasure
    week = uk_today() - timedelta(days=7), uk_today() - timedelta(days=1)
    page = client.get(f"/audit?action=Erased+personal+data&from={week[0]:%Y-%m-%d}&to={week[1]:%Y-%m-%d}").get_data(
        as_text=True
    )
    assert "2 entries found" in visible(page)
    assert [r.split(" | ", 1)[1] for r in rows(page)] == [
        f"Sam Supervisor (sam) | Erased personal data of caller {callers[0]}: name, address | Caller {callers[0]}",
        f"Kim Supervisor (kim) | Erased personal data of caller {callers[1]}: name, phone number | Caller {callers[1]}",
    ]


def test_other_roles_cannot_read_or_download_the_trail(client, staff):
    staff.sign_in(Role.CALL_HANDLER)
    assert client.get("/audit").status_code == 403
    assert client.get("/audit/audit-trail.csv").status_code == 403


def test_a_long_csv_download_holds_every_matching_entry_once(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        for n in range(1100):  # more than two of the export's chunks, many sharing one timestamp
            record_audit(None, "privacy.viewed", "caller", n)
        db.session.commit()
    table = list(csv.reader(io.StringIO(client.get("/audit/audit-trail.csv?who=no-one").get_data(as_text=True))))
    viewed = [row[3] for row in table[1:] if row[2].startswith("Viewed")]
    assert len(viewed) == 1100 and len(set(viewed)) == 1100
