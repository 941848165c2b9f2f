"""Receipt: staff scan or type each returned form's reference; the pack is marked returned with the date."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Return, ReturnStatus, Role
from service.reference import format_reference
from service.returns.receipt import reference_from_scan
from tests.conftest import csrf_token
from tests.factories import day, make_consultation, make_request
from tests.returns.conftest import receive, received_id


@pytest.fixture
def keyer(sign_in):
    return sign_in(Role.DATA_ENTRY)[0]


def all_returns() -> list[Return]:
    return list(db.session.scalars(select(Return).order_by(Return.id)))


@pytest.mark.parametrize("scanned", ["{ref}", "{grouped}", " {ref} ", "{ref}-03", "{ref}-3", "{grouped} - 12"])
def test_a_reference_is_read_from_a_scan_or_typing_with_or_without_a_page_number(scanned):
    ref = "4829135575"
    assert reference_from_scan(scanned.format(ref=ref, grouped=format_reference(ref))) == ref


def test_receiving_by_reference_marks_the_pack_returned_with_the_date(client, keyer, reference, consultation):
    response = receive(keyer, reference, received_on=day(-2).isoformat())
    return_id = received_id(response)
    page = keyer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Received" in page and format_reference(reference) in page
    assert "Late" not in page and "Duplicate" not in page
    [ret] = all_returns()
    assert ret.id == return_id and ret.pack.reference == reference and ret.consultation_id == consultation.id
    assert ret.received_on == day(-2) and ret.status == ReturnStatus.RECEIVED and not ret.is_late
    # The date stays set, ready for the next form from the same post.
    for box, value in (("day", day(-2).day), ("month", day(-2).month), ("year", day(-2).year)):
        assert re.search(rf'id="received_on-{box}"[^>]*value="{value}"', page, re.S)


def test_a_page_barcode_finds_its_pack(client, keyer, reference):
    received_id(receive(keyer, f"{reference}-03"))
    assert all_returns()[0].pack.reference == reference


def test_a_wrong_check_digit_is_caught_beside_the_field_naming_what_was_scanned(client, keyer, reference):
    mistyped = reference[:4] + str((int(reference[4]) + 1) % 10) + reference[5:]
    response = receive(keyer, mistyped)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This reference number is not right: check each digit against the form" in page
    # What was scanned is kept in the message; the field is emptied, ready for the next scan.
    assert f"You scanned or typed: {mistyped}" in page
    assert 'id="reference-error"' in page and 'id="reference" name="reference" type="text" value=""' in page
    assert all_returns() == []


def test_a_valid_reference_no_pack_has_gets_a_clear_message(client, keyer, consultation):
    response = receive(keyer, "4829135575")
    page = response.get_data(as_text=True)
    assert "No pack has the reference 482 913 5575" in page and "You scanned or typed: 4829135575" in page
    assert all_returns() == []


def test_a_return_after_the_closing_date_is_late_and_still_keyable(client, keyer, app_ctx):
    closed = make_consultation("closed", open_now=False)
    reference = make_request(closed).packs[0].reference
    response = receive(keyer, reference)
    page = keyer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Late." in page and "It is still keyed" in page
    [ret] = all_returns()
    assert ret.is_late
    assert keyer.get(f"/returns/{ret.id}/key").status_code == 200


def test_a_return_on_the_closing_date_is_not_late(client, keyer, app_ctx):
    closing_today = make_consultation("closes-today", closes_on=day(0))
    received_id(receive(keyer, make_request(closing_today).packs[0].reference, received_on=day(0).isoformat()))
    assert not all_returns()[0].is_late


def test_the_same_reference_twice_is_flagged_as_a_duplicate_and_never_overwrites(client, keyer, reference):
    first = received_id(receive(keyer, reference, received_on=day(-3).isoformat()))
    response = receive(keyer, reference)
    second = received_id(response)
    page = keyer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Duplicate." in page and f"return {first}" in page and "nothing was overwritten" in page
    original, duplicate = all_returns()
    assert (original.id, duplicate.id) == (first, second)
    assert original.received_on == day(-3) and original.duplicate_of_id is None
    assert duplicate.duplicate_of_id == first and duplicate.pack_id == original.pack_id


def test_a_form_with_no_readable_reference_is_received_for_a_chosen_consultation(client, keyer, consultation):
    make_consultation("another", title="Another consultation")
    data = {
        "consultation_id": str(consultation.id),
        "received_on": day(0).isoformat(),
        "csrf_token": csrf_token(keyer, "/returns/receive/unreferenced"),
    }
    response = keyer.post("/returns/receive/unreferenced", data=data)
    return_id = received_id(response)
    page = keyer.get(response.headers["Location"]).get_data(as_text=True)
    assert f"write <strong>R{return_id}</strong> on the form" in page
    [ret] = all_returns()
    assert ret.pack_id is None and ret.consultation_id == consultation.id and ret.status == ReturnStatus.RECEIVED


def test_an_unreferenced_form_needs_its_consultation(client, keyer, consultation):
    make_consultation("another", title="Another consultation")  # two open: nothing preselected
    data = {"consultation_id": "0", "received_on": day(0).isoformat()}
    data["csrf_token"] = csrf_token(keyer, "/returns/receive/unreferenced")
    page = keyer.post("/returns/receive/unreferenced", data=data).get_data(as_text=True)
    assert "Select the consultation the form is for" in page and all_returns() == []


def test_a_date_received_in_the_future_is_refused(client, keyer, reference):
    page = receive(keyer, reference, received_on=day(1).isoformat()).get_data(as_text=True)
    assert "Date received must be today or in the past" in page and all_returns() == []


def test_no_consultation_is_chosen_for_an_unreferenced_form_when_there_are_several(client, keyer, consultation):
    make_consultation("closed-one", open_now=False)  # forms for a closed consultation still come back
    page = keyer.get("/returns/receive/unreferenced").get_data(as_text=True)
    assert "selected>" not in page.split('id="consultation_id"')[1].split("</select>")[0]
    # So Enter on the page as it opens saves nothing: the consultation must be chosen.
    data = {"csrf_token": csrf_token(keyer, "/returns/receive/unreferenced")}
    refused = keyer.post("/returns/receive/unreferenced", data=data).get_data(as_text=True)
    assert "Select the consultation the form is for" in refused and all_returns() == []


def test_the_scan_box_has_focus_when_the_receipt_screen_opens(client, keyer, consultation):
    page = keyer.get("/returns/receive").get_data(as_text=True)
    assert re.search(r'id="reference"[^>]*autofocus', page)
