"""The paper-copy request form, as a call handler uses it while the caller is on the line."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent, Call, Caller, PaperRequest, PrintFormat, RequestStatus, Role, StatusChange
from service.models.consultations import UK
from service.models.types import utcnow
from service.reference import parse_reference
from service.working_days import add_working_days
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request


@pytest.fixture
def consultation(app_ctx):
    return make_consultation("open-one")


@pytest.fixture
def handler(staff):
    return staff.sign_in(Role.CALL_HANDLER)


def answers(consultation, **changes) -> dict[str, str]:
    data = {
        "consultation_id": str(consultation.id),
        "name": "Siân Roberts",
        "address_line_1": "12 Hope Street",
        "address_line_2": "",
        "address_line_3": "",
        "town": "Liverpool",
        "postcode": "l19bq",
        "phone": "0151 330 1249",
        "format": "standard",
        "language": "",
        "copies": "1",
        "notes": "",
    }
    data.update(changes)
    return data


def submit(client, data):
    data = dict(data, csrf_token=csrf_token(client, "/requests/new"))
    return client.post("/requests/new", data=data)


def saved_requests():
    return db.session.scalars(select(PaperRequest).order_by(PaperRequest.id)).all()


def test_the_only_open_consultation_is_preselected(client, consultation, handler):
    make_consultation("closed-one", open_now=False, title="An old consultation")
    page = client.get("/requests/new").get_data(as_text=True)
    assert re.search(rf'<option value="{consultation.id}" selected>', page)
    assert "An old consultation (closed" in page


def test_saving_a_request_shows_its_reference_at_once(client, consultation, handler):
    response = submit(client, answers(consultation))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Request saved" in page
    saved = saved_requests()
    assert len(saved) == 1
    request = saved[0]
    reference = request.packs[0].reference
    assert parse_reference(reference) == reference
    grouped = f"{reference[:3]} {reference[3:6]} {reference[6:]}"
    assert grouped in page
    assert request.caller.postcode == "L1 9BQ"
    assert request.caller.phone == "+441513301249"
    assert request.caller.name == "Siân Roberts"
    assert request.local_authority == "Liverpool" and not request.outside_area
    assert request.status == RequestStatus.WAITING_FOR_PACK
    assert not request.is_late
    # The call is in the call log too, taken by this handler, with its outcome.
    assert request.call.outcome.value == "paper_copy" and request.call.handler_id == handler
    assert request.call.caller_id == request.caller_id
    call_log = client.get("/calls").get_data(as_text=True)
    assert "Paper copy requested" in call_log and "Siân Roberts" in call_log


def test_each_copy_has_its_own_reference(client, consultation, handler):
    submit(client, answers(consultation, copies="3"))
    (request,) = saved_requests()
    references = [p.reference for p in request.packs]
    assert len(set(references)) == 3
    assert [p.copy_number for p in request.packs] == [1, 2, 3]
    page = client.get(f"/requests/{request.id}?saved=1").get_data(as_text=True)
    assert all(f"{r[:3]} {r[3:6]} {r[6:]}" in page for r in references)


def test_addresses_outside_the_city_region_are_accepted_and_marked(client, consultation, handler):
    submit(client, answers(consultation, postcode="sw1a 1aa", town="London"))
    (request,) = saved_requests()
    assert request.outside_area and request.local_authority is None
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert "Outside the city region" in page


def test_a_postcode_the_directory_does_not_know_is_saved_with_a_warning_and_waits_for_an_address_check(
    client, consultation, handler
):
    # L1 9ZZ has the shape of a Liverpool postcode but is in no release of the ONS Postcode Directory.
    response = submit(client, answers(consultation, postcode="l1 9zz"))
    (request,) = saved_requests()
    assert request.caller.postcode == "L1 9ZZ" and request.local_authority is None
    assert request.status == RequestStatus.NEEDS_ADDRESS_CHECK  # not printed on a guess, not refused
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Request saved" in page
    warning = page.split('id="postcode-warning"', 1)[1].split("</div>", 1)[0]
    assert "Check the postcode with the caller now" in warning
    assert "L1 9ZZ is not in the ONS Postcode Directory (November 2025)" in warning
    checks = client.get("/address-checks").get_data(as_text=True)
    assert "Postcode L1 9ZZ is not in the ONS Postcode Directory (November 2025)" in checks


def test_a_known_postcode_needs_no_address_check(client, consultation, handler):
    response = submit(client, answers(consultation, postcode="L24 4AD", town="Hale"))
    (request,) = saved_requests()
    assert request.local_authority == "Halton" and request.status == RequestStatus.WAITING_FOR_PACK
    assert 'id="postcode-warning"' not in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the caller&#39;s name"),
        ("name", "x" * 101, "Name must be 100 characters or fewer"),
        ("address_line_1", "", "Enter the first line of the address"),
        ("address_line_1", "y" * 51, "Address line 1 must be 50 characters or fewer"),
        ("address_line_2", "y" * 51, "Address line 2 must be 50 characters or fewer"),
        ("town", "", "Enter the town or city"),
        ("postcode", "", "Enter the postcode"),
        ("postcode", "L1 8", "Enter a real UK postcode, like L1 8JQ"),
        ("phone", "12345", "Enter a UK phone number"),
        ("phone", "+1 415 555 2671", "Enter a UK phone number"),
        ("format", "", "Select the format the caller needs"),
        ("copies", "0", "Number of copies must be a whole number from 1 to 5"),
        ("copies", "6", "Number of copies must be a whole number from 1 to 5"),
        ("copies", "two", "Number of copies must be a whole number from 1 to 5"),
        ("copies", "", "Enter the number of copies, from 1 to 5"),
        ("notes", "n" * 1001, "Notes must be 1000 characters or fewer"),
        ("consultation_id", "0", "Select the consultation the caller is asking about"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_keeps_what_was_typed(
    client, consultation, handler, field, value, message
):
    data = answers(consultation, **{field: value})
    response = submit(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page  # the summary at the top
    assert f'href="#{field}"' in page  # the summary links to the field
    error = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1)
    # Everything else the handler typed is still there.
    for other in ("name", "address_line_1", "town"):
        if other != field:
            assert f'value="{data[other]}"' in page or data[other] in page
    assert saved_requests() == []


def test_another_language_needs_the_language(client, consultation, handler):
    page = submit(client, answers(consultation, format="other_language", language="")).get_data(as_text=True)
    assert "Enter the language the caller needs" in page
    assert saved_requests() == []


def test_alternative_formats_go_on_the_manual_list_with_a_due_date(client, consultation, handler):
    submit(client, answers(consultation, format="other_language", language="Polish"))
    (request,) = saved_requests()
    today = utcnow().astimezone(UK).date()
    assert request.status == RequestStatus.ALTERNATIVE_FORMAT_DUE
    assert request.language == "Polish"
    assert request.fulfilment_due_on == add_working_days(today, 10)
    page = client.get("/requests/alternative-formats").get_data(as_text=True)
    assert "Another language: Polish" in page and "Siân Roberts" in page
    token = csrf_token(client, "/requests/alternative-formats")
    client.post(f"/requests/{request.id}/alternative-format-sent", data={"csrf_token": token})
    db.session.refresh(request)
    assert request.status == RequestStatus.ALTERNATIVE_FORMAT_SENT
    assert "There are no alternative formats waiting" in client.get("/requests/alternative-formats").get_data(
        as_text=True
    )


@pytest.mark.parametrize("print_format", [PrintFormat.EASY_READ])  # braille and audio: tests/accessible_formats
def test_formats_made_by_hand_are_not_sent_to_print(client, consultation, handler, print_format):
    submit(client, answers(consultation, format=print_format.value))
    (request,) = saved_requests()
    assert request.status == RequestStatus.ALTERNATIVE_FORMAT_DUE


def test_large_print_is_printed_here(client, consultation, handler):
    submit(client, answers(consultation, format="large_print"))
    (request,) = saved_requests()
    assert request.status == RequestStatus.WAITING_FOR_PACK and request.fulfilment_due_on is None


def test_a_likely_duplicate_is_shown_before_saving_and_needs_a_reason(client, consultation, handler):
    first = make_request(consultation, name="Siân Roberts", address_line_1="12 Hope Street", postcode="L1 9BQ")
    first_reference = first.packs[0].reference
    # Same name and postcode, typed differently.
    response = submit(client, answers(consultation, name="sian  roberts", address_line_1="Flat 2, 12 Hope St"))
    page = response.get_data(as_text=True)
    assert "This caller may already have asked" in page
    assert f"{first_reference[:3]} {first_reference[3:6]} {first_reference[6:]}" in page
    assert "Enter why another copy is needed" in page
    assert 'value="Flat 2, 12 Hope St"' in page  # nothing typed is lost
    assert len(saved_requests()) == 1
    # Saving anyway, with a reason.
    response = submit(
        client,
        answers(
            consultation,
            name="sian  roberts",
            address_line_1="Flat 2, 12 Hope St",
            duplicate_reason="First pack lost in the post",
        ),
    )
    assert response.status_code == 302
    saved = saved_requests()
    assert len(saved) == 2 and saved[1].duplicate_reason == "First pack lost in the post"


def test_same_address_different_name_is_a_likely_duplicate(client, consultation, handler):
    make_request(consultation, name="Ada Lovelace", address_line_1="12 Hope Street", postcode="L1 9BQ")
    page = submit(client, answers(consultation, name="Charles Babbage", address_line_1="12  hope street")).get_data(
        as_text=True
    )
    assert "This caller may already have asked" in page


def test_a_request_for_another_consultation_is_not_a_duplicate(client, consultation, handler):
    other = make_consultation("other-open")
    make_request(other, name="Siân Roberts", address_line_1="12 Hope Street", postcode="L1 9BQ")
    assert submit(client, answers(consultation)).status_code == 302


def test_after_closing_a_request_is_logged_with_a_warning_and_marked_late(client, handler, app_ctx):
    closed = make_consultation("closed", open_now=False, title="Closed consultation")
    page = client.get("/requests/new").get_data(as_text=True)
    assert "Closed consultation closed on" in page and "marked late" in page
    response = submit(client, answers(closed))
    assert response.status_code == 302
    (request,) = saved_requests()
    assert request.is_late
    assert "Late" in client.get(f"/requests/{request.id}").get_data(as_text=True)


def test_history_and_audit_record_who_did_what(client, consultation, handler):
    submit(client, answers(consultation))
    (request,) = saved_requests()
    changes = db.session.scalars(select(StatusChange).where(StatusChange.request_id == request.id)).all()
    assert [(c.from_status, c.to_status, c.actor_id) for c in changes] == [(None, "waiting_for_pack", handler)]
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "request.created")).all()
    assert [(e.actor_id, e.entity_id) for e in events] == [(handler, request.id)]
    assert "Siân" not in str(events[0].details)  # audit details never hold personal data
    page = client.get(f"/requests/{request.id}").get_data(as_text=True)
    assert 'id="history"' in page and "Waiting for pack" in page


def test_a_call_logged_first_leads_to_a_prefilled_request(client, consultation, handler):
    token = csrf_token(client, "/calls/new")
    response = client.post(
        "/calls/new",
        data={
            "consultation_id": consultation.id,
            "caller_name": "Zoë Nguyễn",
            "caller_phone": "07911 123456",
            "outcome": "paper_copy",
            "notes": "",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302 and "/requests/new?call=" in response.headers["Location"]
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Zoë Nguyễn"' in form and 'value="+447911123456"' in form
    call_id = int(response.headers["Location"].rsplit("=", 1)[1])
    submit(client, answers(consultation, name="Zoë Nguyễn", call_id=str(call_id)))
    (request,) = saved_requests()
    assert request.call_id == call_id


def test_personal_data_never_reaches_the_logs(client, consultation, handler, caplog):
    caplog.set_level(logging.DEBUG)
    submit(client, answers(consultation, name="Persephone Quirke", phone="07911 123456"))
    client.get("/requests?q=Persephone")
    text = caplog.text
    assert saved_requests()
    for personal in ("Persephone", "Quirke", "Hope Street", "L1 9BQ", "07911", "+447911123456"):
        assert personal not in text


def test_the_form_never_500s_on_garbage(client, consultation, handler):
    response = submit(
        client, {"consultation_id": "not-a-number", "copies": "∞", "format": "<script>", "postcode": "\x00"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(select(Caller).limit(1)) is None
    assert db.session.scalar(select(Call).limit(1)) is None


def test_a_phone_extension_is_kept_shown_and_found(client, consultation, handler, staff):
    submit(client, answers(consultation, phone="0151 330 1249 ext 2"))
    (request,) = saved_requests()
    assert request.caller.phone == "+441513301249;ext=2"
    assert "0151 330 1249 ext. 2" in client.get(f"/requests/{request.id}").get_data(as_text=True)
    from service.dao.people import PeopleSearch, find_people

    assert [c.id for p in find_people(PeopleSearch(phone="+441513301249")).items for c in p.callers] == [
        request.caller.id
    ]


def test_drama_numbers_are_accepted_like_the_phone_menu_accepts_them(client, consultation, handler):
    for number, house in (("07700 900123", "12 Hope Street"), ("0151 496 0000", "14 Bold Street")):
        assert (
            submit(
                client, answers(consultation, phone=number, name=f"Caller at {house}", address_line_1=house)
            ).status_code
            == 302
        )
    assert [r.caller.phone for r in saved_requests()] == ["+447700900123", "+441514960000"]


def test_a_consultation_that_takes_no_late_replies_refuses_requests_after_it_closes(client, consultation, handler):
    closed = make_consultation("no-late-replies", open_now=False, takes_late_replies=False, title="A strict one")
    response = submit(client, answers(closed))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'<p class="error-message" id="consultation_id-error">(.*?)</p>', page, re.S)
    assert error and "takes no late replies" in error.group(1)
    assert saved_requests() == []
    # One that does take late replies still logs the request, marked late.
    late_ok = make_consultation("late-ok", open_now=False, title="A kind one")
    assert submit(client, answers(late_ok)).status_code == 302
    assert [r.is_late for r in saved_requests()] == [True]
