"""`flask ivr-call`: the same walker, over real HTTP against a running service, driven from the terminal."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from service.models import RequestStatus
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
        args=["ivr-call", "--server", running_service, "--public-url", PUBLIC_BASE_URL, "--to", LINE],
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
    result = app.test_cli_runner().invoke(args=["ivr-call", *options], input="\n")
    assert result.exit_code != 0 and "answered 403" in result.output
