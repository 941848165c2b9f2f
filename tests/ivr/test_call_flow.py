"""Whole calls to the phone menu, played by the walker with signed webhooks; the database checked after each."""

from __future__ import annotations

import redis
from flask import current_app
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from service.extensions import db
from service.models import Call, CallChannel, Caller, CallOutcome, PrintFormat, RequestStatus, Role
from service.queues.enqueue import render_job_id
from service.reference import format_reference
from tests.factories import make_consultation
from tests.ivr.conftest import (
    CALLER_NUMBER,
    all_requests,
    give_address,
    hours_today,
    menu_call,
    said,
    spoken_reference,
)


def test_happy_path_a_caller_orders_a_paper_copy_and_hears_the_reference_twice(ring, consultation):
    call = ring()
    assert "Welcome to Liverpool City Region Combined Authority" in said(call)
    assert "Digital Strategy and Action Plan 2021 to 2023" in said(call)
    assert menu_call(call).channel == CallChannel.PHONE_MENU

    call.press("1")
    assert "Please say your full name" in said(call)
    call.say("Ada Lovelace.")
    call.say("el one nine bee queue")
    assert "I heard L 1, 9 B Q" in said(call)
    call.press("1")
    call.press("12")
    call.say("Hope Street")
    call.say("Liverpool")
    assert "I have your address as: 12 Hope Street, Liverpool, L 1, 9 B Q" in said(call)
    call.press("1")
    call.press("2")  # large print

    (request,) = all_requests()
    reference = request.first_reference
    digit_by_digit = ", ".join(" ".join(group) for group in format_reference(reference).split())
    assert said(call).count(digit_by_digit) == 2  # "8 7 1, 0 8 7, 4 9 5 9", twice
    assert spoken_reference(said(call)) == reference
    assert request.status == RequestStatus.WAITING_FOR_PACK
    assert request.format == PrintFormat.LARGE_PRINT and request.channel == CallChannel.PHONE_MENU
    assert (request.caller.name, request.caller.address_line_1, request.caller.town) == (
        "Ada Lovelace",
        "12 Hope Street",
        "Liverpool",
    )
    assert request.caller.postcode == "L1 9BQ" and request.local_authority == "Liverpool"
    assert request.caller.phone == CALLER_NUMBER
    logged = menu_call(call)
    assert request.call_id == logged.id and logged.outcome == CallOutcome.PAPER_COPY
    assert logged.caller_id == request.caller_id
    assert db.session.scalar(select(func.count(Call.id))) == 1  # the request did not log a second call
    assert db.session.scalar(select(func.count(Caller.id))) == 1  # nor keep a second copy of the caller

    call.press("1")  # hear it again
    assert spoken_reference(said(call)) == reference
    call.silence()
    assert "Goodbye" in said(call) and call.ended
    logged = menu_call(call)
    assert logged.twilio_status == "completed" and logged.duration_seconds > 0
    assert logged.outcome == CallOutcome.PAPER_COPY


def test_a_house_name_by_speech_is_its_own_line(ring, consultation):
    call = ring()
    call.press("1")
    give_address(call, house="Rose Cottage", street="Mather Avenue", postcode="L18 6HF")
    assert "I have your address as: Rose Cottage, Mather Avenue, Liverpool" in said(call)
    call.press("1")
    call.press("1")
    (request,) = all_requests()
    assert (request.caller.address_line_1, request.caller.address_line_2) == ("Rose Cottage", "Mather Avenue")
    assert request.status == RequestStatus.WAITING_FOR_PACK


def test_an_unsure_postcode_twice_ends_in_a_recorded_address_and_the_address_check(ring, consultation):
    call = ring()
    call.press("1")
    call.say("Grace Hopper")
    call.say("somewhere near the park")
    assert "Sorry, I could not make out a postcode. Let's try again." in said(call)
    call.say("L1 9BQ")
    call.press("2")  # not what I said
    assert "say your full address, with your postcode, after the tone" in said(call)
    assert call.waiting_for == "Record"
    call.record()
    assert "A member of our team will listen to your address" in said(call)
    call.press("1")

    (request,) = all_requests()
    assert request.status == RequestStatus.NEEDS_ADDRESS_CHECK
    assert request.caller.recording_url.startswith("https://api.twilio.com/")
    assert request.caller.name == "Grace Hopper" and request.caller.postcode == ""
    assert "recorded their address" in request.notes
    assert "a member of our team will check your address" in said(call)
    assert menu_call(call).outcome == CallOutcome.PAPER_COPY


def test_speech_heard_with_low_confidence_is_sent_to_the_address_check(ring, consultation):
    call = ring()
    call.press("1")
    call.say("Ada Lovelace")
    call.say("L1 9BQ")
    call.press("1")
    call.press("12")
    call.say("Hope Street", confidence=0.41)
    call.say("Liverpool")
    call.press("1")
    call.press("1")
    (request,) = all_requests()
    assert request.status == RequestStatus.NEEDS_ADDRESS_CHECK
    assert request.caller.postcode == "L1 9BQ" and request.caller.address_line_1 == "12 Hope Street"
    assert "unsure of: street" in request.notes
    assert menu_call(call).menu_answers["confidence"]["street"] == 0.41


def test_no_input_asks_twice_more_then_offers_an_adviser_then_says_goodbye(ring, consultation):
    call = ring()
    menu = said(call).split("2023. ")[1]
    for _ in range(2):
        call.silence()
        assert call.said[0] == "Sorry, I did not hear anything."
        assert menu in said(call)
    call.silence()
    assert "If you would like to speak to an adviser, press 1." in said(call)
    call.silence()
    assert said(call) == "Thank you for calling. Goodbye." and call.ended
    logged = menu_call(call)
    assert logged.outcome == CallOutcome.OTHER and "did not answer" in logged.notes
    assert logged.twilio_status == "completed"
    assert all_requests() == []


def test_a_wrong_key_is_named_and_the_question_repeated_and_star_repeats(ring, consultation):
    call = ring()
    call.press("7")
    assert call.said[0] == "You pressed 7. That is not one of the choices."
    assert "To ask for a paper copy posted to you, press 1." in said(call)
    call.press("#")  # hash ends a keypad answer: Twilio sends no digits, as for silence
    assert call.said[0] == "Sorry, I did not hear anything."
    call.press("*")
    assert call.said[0].startswith("To ask for a paper copy")  # repeated, no apology
    call.press("3")
    call.press("9")
    assert call.said[0] == "You pressed 9. That is not one of the choices."
    assert "For braille, press 2." in said(call)
    call.press("0")
    call.press("2")
    text = said(call)
    assert "l i v e r p o o l c i t y r e g i o n a l c a, dot, r e s e a r c h f e e d b a c k, dot" in text
    assert "k, equals, 1 6 0 7 1 0 7 5 9 9 0 7" in text
    assert f"The consultation closes on {consultation.closes_on:%A} {consultation.closes_on.day}" in text
    assert "To ask for a paper copy" in text  # and back to the menu


def test_a_caller_who_hangs_up_half_way_leaves_an_incomplete_call_and_no_request(ring, consultation, staff, client):
    call = ring()
    call.press("1")
    call.say("Ada Lovelace")
    call.say("L1 9BQ")
    call.press("1")
    call.hang_up()

    assert all_requests() == []
    logged = menu_call(call)
    assert logged.outcome == CallOutcome.INCOMPLETE
    assert logged.notes == "Caller hung up at: house. Collected: name, postcode."
    assert logged.twilio_status == "completed" and logged.duration_seconds > 0
    assert logged.caller.name == "Ada Lovelace"  # what was collected, for a handler to follow up

    staff.sign_in(Role.CALL_HANDLER)
    page = client.get("/calls").get_data(as_text=True)
    assert "Phone menu" in page and "Incomplete (caller hung up)" in page
    assert f"({logged.duration_seconds} s)" in page


def test_a_retried_webhook_never_makes_a_second_request(ring, consultation):
    call = ring()
    call.retry()  # the voice webhook again: still one call
    call.press("1")
    give_address(call)
    call.press("1")
    call.press("1")
    (request,) = all_requests()
    first = spoken_reference(said(call))
    # The commit that made the request also says the reference question is being asked, and keeps the answers.
    logged = menu_call(call)
    assert logged.menu_step == "reference" and logged.menu_answers["request_id"] == request.id
    assert logged.menu_answers["misses"] == 0 and logged.menu_answers["postcode_confirmed"]

    call.retry()  # Twilio posts "standard print" again: the unique key refuses a second request
    assert spoken_reference(said(call)) == first == request.first_reference
    call.retry()
    assert len(all_requests()) == 1
    assert db.session.scalar(select(func.count(Call.id))) == 1
    assert db.session.scalar(select(func.count(Caller.id))) == 1
    assert all_requests()[0].idempotency_key == f"ivr:{call.call_sid}"


def test_after_the_closing_date_the_menu_says_so_and_still_offers_an_adviser(ring, app_ctx, menu_settings):
    closed = make_consultation("closed-menu", open_now=False, title="Transport Plan")
    call = ring()
    assert f"The Transport Plan closed on {closed.closes_on:%A} {closed.closes_on.day}" in said(call)
    assert "We can no longer send paper copies." in said(call)
    call.press("1")
    assert "Our advisers are available" in said(call) and call.waiting_for == "Record"
    call.record()
    logged = menu_call(call)
    assert logged.consultation_id == closed.id and logged.outcome == CallOutcome.CALLBACK_NEEDED
    assert all_requests() == []


def test_an_adviser_out_of_hours_takes_a_message_for_the_callback_list(ring, consultation, staff, client):
    call = ring()
    call.press("4")
    assert "Our advisers are available" in said(call)
    assert "Please leave a message after the tone" in said(call) and "[beep]" in said(call)
    call.record(seconds=20)
    assert "an adviser will call you back" in said(call)
    assert "you can answer the survey now, by phone" in said(call)
    call.silence()
    assert "Goodbye" in said(call) and call.ended

    logged = menu_call(call)
    assert logged.outcome == CallOutcome.CALLBACK_NEEDED and logged.callback_due_at is not None
    assert logged.caller.recording_url.startswith("https://api.twilio.com/")
    assert logged.caller.phone == CALLER_NUMBER
    assert "out of hours" in logged.notes
    assert logged.twilio_status == "completed"

    staff.sign_in(Role.CALL_HANDLER)
    page = client.get("/calls/callbacks").get_data(as_text=True)
    assert "Listen to the message" in page and logged.caller.recording_url in page
    assert "07700 900123" in page


def test_an_adviser_in_hours_is_dialled_and_no_answer_in_20_seconds_takes_a_message(
    ring, consultation, menu_settings, monkeypatch
):
    monkeypatch.setitem(menu_settings, "ADVISER_HOURS", hours_today(open_now=True))
    monkeypatch.setitem(menu_settings, "ADVISER_CLOSED_ON_BANK_HOLIDAYS", False)  # so today is open, whatever day it is
    call = ring()
    call.press("4")
    assert call.waiting_for == "Dial"
    assert "Putting you through to an adviser" in said(call)
    assert "[ringing the adviser, up to 20 seconds]" in said(call)
    call.answer_dial("no-answer")
    assert "Sorry, no adviser is free right now." in said(call) and call.waiting_for == "Record"
    call.record()
    logged = menu_call(call)
    assert logged.outcome == CallOutcome.CALLBACK_NEEDED and "no adviser answered" in logged.notes


def test_an_answered_adviser_call_is_logged_as_a_question_answered(ring, consultation, menu_settings, monkeypatch):
    monkeypatch.setitem(menu_settings, "ADVISER_HOURS", hours_today(open_now=True))
    monkeypatch.setitem(menu_settings, "ADVISER_CLOSED_ON_BANK_HOLIDAYS", False)  # so today is open, whatever day it is
    call = ring()
    call.press("4")
    assert call.waiting_for == "Dial"
    call.answer_dial("completed", seconds=240)
    assert call.ended
    logged = menu_call(call)
    assert logged.outcome == CallOutcome.QUESTION_ANSWERED and logged.duration_seconds >= 240


def test_several_open_consultations_on_one_line_get_a_short_menu(ring, app_ctx, menu_settings):
    make_consultation("first", title="Bus Plan")
    second = make_consultation("second", title="Cycling Plan")
    call = ring()
    assert "There is more than one consultation on this line." in said(call)
    assert "For the Bus Plan, press 1. For the Cycling Plan, press 2." in said(call)
    call.press("3")
    assert call.said[0] == "You pressed 3. That is not one of the choices."
    call.press("2")
    assert "You chose the Cycling Plan." in said(call)
    assert menu_call(call).consultation_id == second.id


def test_braille_by_phone_queues_the_job_that_makes_it(ring, consultation):
    call = ring()
    call.press("3")
    call.press("2")
    assert "Braille. To send it to you, I need your name and address." in said(call)
    give_address(call)
    call.press("1")  # no print-size question for braille
    (request,) = all_requests()
    assert request.format == PrintFormat.BRAILLE and request.status == RequestStatus.WAITING_FOR_PACK
    assert request.fulfilment_due_on is not None
    connection = redis.Redis.from_url(current_app.config["REDIS_URL"])
    job = Job.fetch(render_job_id(request.id), connection=connection, serializer=JSONSerializer)
    assert job.func_name == "workers.jobs.render_request_packs" and job.args == [request.id]
    assert "We will send it within 10 working days." in said(call)
    assert menu_call(call).outcome == CallOutcome.OTHER_FORMAT


def test_another_language_is_asked_by_speech(ring, consultation):
    call = ring()
    call.press("3")
    call.press("5")
    call.say("Polish")
    give_address(call)
    call.press("1")
    (request,) = all_requests()
    assert (request.format, request.language) == (PrintFormat.OTHER_LANGUAGE, "Polish")


def test_large_print_from_the_formats_menu_skips_the_print_size_question(ring, consultation):
    call = ring()
    call.press("3")
    call.press("1")
    give_address(call)
    call.press("1")
    (request,) = all_requests()
    assert request.format == PrintFormat.LARGE_PRINT and request.status == RequestStatus.WAITING_FOR_PACK


def test_a_caller_who_only_hears_how_to_respond_online_is_a_question_answered(ring, consultation):
    call = ring()
    call.press("2")
    call.hang_up()
    logged = menu_call(call)
    assert logged.outcome == CallOutcome.QUESTION_ANSWERED and logged.twilio_status == "completed"


def test_hanging_up_while_recording_an_address_keeps_the_recording_but_makes_no_request(ring, consultation):
    call = ring()
    call.press("1")
    call.say("Grace Hopper")
    call.say("mumble")
    call.say("mumble")
    assert call.waiting_for == "Record"
    call.hang_up()
    assert all_requests() == []
    logged = menu_call(call)
    assert logged.outcome == CallOutcome.INCOMPLETE
    assert logged.notes == "Caller hung up at: record address. Collected: name, recorded message."
    assert logged.caller.recording_url


def test_silence_instead_of_a_recorded_address_asks_again(ring, consultation):
    call = ring()
    call.press("1")
    call.say("Grace Hopper")
    call.say("mumble")
    call.say("mumble")
    call.silence()
    assert call.said[0] == "Sorry, I did not hear anything." and call.waiting_for == "Record"


def test_an_address_heard_clearly_that_the_envelope_cannot_take_goes_to_the_address_check(ring, consultation):
    # Confident speech, confirmed by keypad, but one line too wide for the window at the letter's 8 pt.
    call = ring()
    call.press("1")
    give_address(
        call, house="Rose Cottage", street="WOMBWELL WOLVERHAMPTON WESTMINSTER WHARF WAY WEST", postcode="L18 6HF"
    )
    call.press("1")
    call.press("1")
    (request,) = all_requests()
    assert request.status == RequestStatus.NEEDS_ADDRESS_CHECK
    assert "cannot be printed on the envelope" in request.notes
    assert "a member of our team will check your address" in said(call)
