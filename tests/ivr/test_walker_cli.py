"""`flask phone call`: the same walker, over real HTTP against a running service, driven from the terminal."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from service.extensions import db
from service.models import PhoneResponse, PhoneResponseStatus, RequestStatus
from tests.ivr.conftest import LINE, PUBLIC_BASE_URL, all_requests


@pytest.fixture
def running_service(app, menu_settings) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_whole_call_from_the_terminal(app, running_service, consultation):
    answers = [
        "1",
        "say Ada Lovelace",
        "say L1 9BQ",
        "1",
        "12#",
        "say Hope Street @0.95",
        "say Liverpool",
        "1",
        "1",
        "",
    ]
    result = app.test_cli_runner().invoke(
        args=["phone", "call", "--server", running_service, "--public-url", PUBLIC_BASE_URL, "--to", LINE],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "menu: Welcome to Liverpool City Region Combined Authority." in result.output
    assert "menu: I heard L 1, 9 B Q, If that is right, press 1. If not, press 2." in result.output
    assert "menu: Thank you for calling. Goodbye." in result.output
    assert "Call ended after about" in result.output
    (request,) = all_requests()
    assert request.status == RequestStatus.WAITING_FOR_PACK
    assert request.first_reference[:3] in result.output.replace(" ", "")


def test_a_service_that_refuses_the_signature_is_reported(app, running_service, consultation):
    options = ["--server", running_service, "--public-url", PUBLIC_BASE_URL, "--to", LINE, "--token", "not-the-token"]
    result = app.test_cli_runner().invoke(args=["phone", "call", *options], input="\n")
    assert result.exit_code != 0 and "answered 403" in result.output


def test_the_terminal_caller_answers_the_survey_hangs_up_and_carries_on_by_reference(
    app, running_service, consultation
):
    options = ["phone", "call", "--server", running_service, "--public-url", PUBLIC_BASE_URL, "--to", LINE]
    first = app.test_cli_runner().invoke(
        args=options,
        input="\n".join(["5", "1", "2", "", "More fibre in Knowsley", "say strongly agree", "hangup"]) + "\n",
    )
    assert first.exit_code == 0, first.output
    assert "Question 1a." in first.output and "menu: Strongly agree." in first.output
    match = re.search(r"Your survey reference number is ([\d ,]+?),? Again", first.output)
    reference = re.sub(r"\D", "", match.group(1))

    rest = ["#"] * 10 + ["say an individual", "#", "3", "13"]  # 2b to 9 skipped, 10 Liverpool, 11 two choices
    second = app.test_cli_runner().invoke(args=options, input="\n".join(["5", "2", f"{reference}#", *rest]) + "\n")
    assert second.exit_code == 0, second.output
    assert "menu: Welcome back. You have answered 3 of 17 questions." in second.output
    assert "That was the last question" in second.output and "Call ended after about" in second.output
    db.session.expire_all()
    (survey,) = db.session.scalars(select(PhoneResponse)).all()
    assert survey.status == PhoneResponseStatus.AWAITING_CHECK
    assert survey.answers["q2a_tech_for_good_priority"] == "1" and survey.answers["q11_how_online"] == "1;3"
    assert survey.recordings[0].draft_text == "More fibre in Knowsley"
