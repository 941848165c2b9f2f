"""No input answers 500: generated values in every form field and query string of every route in the app's
URL map, as every role (and signed out), on whatever database the suite runs on.

The field names come from the app itself: every `name="..."` on every page a supervisor can open, and every
`request.args` / `request.form` name in the code. Phone-menu webhooks are signed as Twilio signs them, so
the values reach the menu's steps rather than the signature check. Besides the status, the test reads the
logs: an exception the app had to catch (an apology to Twilio, an error page) counts as a failure too.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.routing import IntegerConverter

from service.config import Test
from service.models import Role
from tests.conftest import IsolatedClient, Staff, csrf_token
from tests.factories import make_consultation, make_request
from workers.jobs import print_run, render_request_packs

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_BASE_URL = "https://survey-line.example.org"
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "0",
    "-1",
    "1",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999",
    "²",
    "①",
    "١٢",
    "１",
    "1.5",
    "1e9",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "31/12/9999",
    "9999-12-31T23:59",
    "<script>alert(1)</script>",
    "'; DROP TABLE requests; --",
    "x" * 3000,
    "L1 9BQ",
    "4829135570",
    "4829135570-03",
    "R1",
    "R99999999999999999999",
    "standard",
    "callback_needed",
    "paper_copy",
    "/",
    "..",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str))
ROLES = [None, Role.CALL_HANDLER, Role.DATA_ENTRY, Role.SUPERVISOR]
NOT_FUZZED = {"static", "sign_out.sign_out"}  # files on disk; signing out is tried once at the end instead


def names_in_code() -> set[str]:
    pattern = re.compile(r"""(?:args|form)\.get(?:list)?\(\s*["']([A-Za-z_]+)["']""")
    return {m for path in (ROOT / "service").rglob("*.py") for m in pattern.findall(path.read_text())}


@pytest.fixture
def world(app, monkeypatch):
    """A little of everything, so ids in the URL map find rows and forms reach their deeper checks."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC_BASE_URL)
    app.test_client_class = IsolatedClient
    clients = {}
    for role in ROLES:
        client = app.test_client()
        if role is not None:
            Staff(app, client).sign_in(role)
        clients[role] = client
    with app.app_context():
        consultation = make_consultation()
        for n in range(3):
            render_request_packs(make_request(consultation, name=f"Caller {n}", address_line_1=f"{n} Hope St").id)
        make_request(
            consultation, name="Braille Caller", print_format=__import__("service.models").models.PrintFormat.BRAILLE
        )
        print_run()
    supervisor = clients[Role.SUPERVISOR]
    names = names_in_code()
    for path in ("/requests/new", "/calls/new", "/returns/receive", "/returns/receive/unreferenced", "/print-batches"):
        names |= set(re.findall(r'name="([A-Za-z_][\w-]*)"', supervisor.get(path).get_data(as_text=True)))
    names -= {"csrf_token", "form_key"}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint not in NOT_FUZZED]
    # Each form as a person would first send it (the values on its page), so one or two generated values
    # get past the others' checks and reach the deeper ones.
    filled = {}
    for rule in rules:
        if {"GET", "POST"} <= rule.methods:
            page = supervisor.get(path_for(rule, dict.fromkeys(rule.arguments, "1"))).get_data(as_text=True)
            filled[rule.endpoint] = form_values(page)
    return clients, sorted(names), rules, filled


def form_values(page: str) -> dict[str, str]:
    """The values a form on `page` would send untouched: inputs' values, the first option, the first radio."""
    values: dict[str, str] = {}
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) in ("csrf_token", "form_key"):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        values.setdefault(name.group(1), value.group(1) if value else "")
    for name, option in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>.*?<option[^>]*value="([^"]*)"', page, re.S):
        values[name] = option
    return values


class ErrorLogs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def path_for(rule, values: dict[str, str]) -> str:
    def fill(match):
        return quote(values[match.group(1)], safe="")

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, rule.rule)


@st.composite
def attempts(draw, rules, names, filled):
    rule = draw(st.sampled_from(rules))
    method = draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})))
    arguments = {}
    for argument in rule.arguments:
        if isinstance(rule._converters[argument], IntegerConverter):
            arguments[argument] = draw(
                st.one_of(st.sampled_from(["1", "2", "3", "2147483648", "9223372036854775808"]), VALUES)
            )
        else:
            arguments[argument] = draw(VALUES)
    base = filled.get(rule.endpoint, {})
    if base and draw(st.booleans()):
        fields = dict(base, **draw(st.dictionaries(st.sampled_from(sorted(base)), VALUES, min_size=1, max_size=3)))
    else:
        fields = draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=8))
    role = draw(st.sampled_from(ROLES))
    return rule, method, arguments, fields, role


def send(clients, rule, method, arguments, fields, role):
    client = clients[role]
    path = path_for(rule, arguments)
    if not path.startswith("/") or "//" in path:
        return None
    if method == "GET":
        return client.get(path, query_string=fields)
    if rule.endpoint.startswith("ivr."):
        signature = RequestValidator(Test.TWILIO_AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + path, fields)
        return client.post(path, data=fields, headers={"X-Twilio-Signature": signature})
    token_page = "/sign-in" if role is None else "/home"
    return client.post(path, data=dict(fields, csrf_token=csrf_token(client, token_page)))


def still_signed_in(app, clients, role) -> None:
    """Sign a client in again if a generated request ended its session (a supervisor's "Sign out everywhere"
    on a made-up id that happened to be that client's account)."""
    if role is not None and clients[role].get("/home").status_code != 200:
        # From an address of its own: the signed-out client's generated sign-ins may have used up 127.0.0.1's.
        clients[role].environ_base["REMOTE_ADDR"] = f"192.0.2.{list(clients).index(role)}"
        Staff(app, clients[role]).sign_in(role)


def test_no_generated_input_on_any_route_answers_a_server_error(app, world):
    clients, names, rules, filled = world
    errors = ErrorLogs()
    logging.getLogger().addHandler(errors)

    @settings(
        max_examples=400,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(attempts(rules, names, filled))
    def no_server_error(attempt):
        rule, method, arguments, fields, role = attempt
        still_signed_in(app, clients, role)
        errors.records.clear()
        response = send(clients, rule, method, arguments, fields, role)
        if response is None:
            return
        response.close()  # a streamed file (a pack's PDF) is closed here, as a server closes it after sending
        assert response.status_code < 500, f"{method} {rule.rule} {arguments} {fields} as {role}"
        logged = [r.getMessage().splitlines()[0] for r in errors.records]
        assert not logged, f"{method} {rule.rule} {arguments} {fields} as {role}: {logged}"

    try:
        no_server_error()
    finally:
        logging.getLogger().removeHandler(errors)
    # Signing out, last, as everyone.
    for role, client in clients.items():
        still_signed_in(app, clients, role)
        token = csrf_token(client, "/sign-in" if role is None else "/home")
        assert client.post("/sign-out", data={"csrf_token": token}).status_code < 500
