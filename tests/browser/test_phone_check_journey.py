"""Data entry, keyboard only, checks the spoken answers of a survey answered by phone; each screen checked with axe."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import PhoneRecording, PhoneResponse, PhoneResponseStatus, Role
from service.models.types import utcnow
from tests.browser.keyboard import tab_to
from tests.browser.test_handler_journey import assert_accessible, type_into
from tests.factories import DEFAULT_PASSWORD, make_consultation, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture
def spoken(app):
    with app.app_context():
        consultation = make_consultation("browser-phone", title="Digital Strategy (demonstration)")
        make_staff(Role.DATA_ENTRY, username="dara", display_name="Dara Data")
        response = PhoneResponse(
            consultation_id=consultation.id,
            reference="4829135570",
            questionnaire_version=1,
            status=PhoneResponseStatus.AWAITING_CHECK,
            position=17,
            answers={"q1a_infrastructure_priority": "2"},
            finished_at=utcnow(),
        )
        response.recordings.append(
            PhoneRecording(
                question_code="q1b_infrastructure_actions",
                recording_sid="RE" + "1" * 32,
                recording_url="https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE1",
                duration_seconds=14,
                draft_text="more fiber in nose lee",
                draft_status="completed",
            )
        )
        db.session.add(response)
        db.session.commit()
        return response.id


def test_data_entry_checks_a_spoken_answer_by_keyboard(app, page, live_server, spoken):
    page.goto(f"{live_server}/sign-in")
    type_into(page, "username", "dara")
    type_into(page, "password", DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/home")

    tab_to(page, text="Phone answers to check")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/phone-responses")
    assert "482 913 5570" in page.locator("#phone-responses").inner_text()
    assert_accessible(page)

    tab_to(page, id=f"check-{spoken}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/phone-responses/{spoken}/check")
    assert page.get_by_role(
        "link", name="Listen to the answer to question 1b (14 seconds) (opens in a new tab)"
    ).is_visible()
    assert page.locator("#q1b_infrastructure_actions").input_value() == "more fiber in nose lee"
    assert_accessible(page)

    tab_to(page, id="q1b_infrastructure_actions")
    page.keyboard.press("Control+A")
    page.keyboard.type("More fibre in Knowsley")
    tab_to(page, text="Save and verify")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/phone-responses")
    assert "is verified" in page.locator(".notification").inner_text()
    assert_accessible(page)
    with app.app_context():
        checked = db.session.scalar(select(PhoneResponse))
        assert checked.status == PhoneResponseStatus.VERIFIED
        assert checked.answers["q1b_infrastructure_actions"] == "More fibre in Knowsley"
