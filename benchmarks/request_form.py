"""Logging a request: the real `POST /requests/new` over HTTP to gunicorn, by a signed-in call handler.

One handler logs one request after another (CSRF token, session cookie and all, as a browser sends them);
each POST is timed from sending to the whole redirect answer. The same measurement runs on an empty
database (the baseline) and after 100,000 requests are bulk-inserted, so the ratio shows what the size
of the tables costs the duplicate check and the save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from benchmarks.loopback import LoopbackClient, percentile
from benchmarks.people import people

HANDLER_USERNAME = "benchhandler"
HANDLER_PASSWORD = "bench-handler-password-1"  # noqa: S105 (a throwaway account in a throwaway database)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_SAVED = re.compile(r"/requests/\d+\?saved=1$")


@dataclass
class FormResult:
    existing_requests: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    problems: list[str] = field(default_factory=list)

    def p(self, value: float) -> float:
        return percentile(self.latencies_ms, value)


def add_handler() -> None:
    """A call-handler account to sign in with (in the current app context)."""
    from service.auth.passwords import hash_password
    from service.dao.staff import create_staff
    from service.models import Role

    create_staff(HANDLER_USERNAME, "Benchmark handler", Role.CALL_HANDLER, hash_password(HANDLER_PASSWORD))


class Browser:
    """Just enough of a browser: one session cookie (Secure cookies are fine on loopback), CSRF tokens."""

    def __init__(self, client: LoopbackClient) -> None:
        self.client = client
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict | None = None) -> dict:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep_cookies(self, answer) -> None:
        for value in answer.headers.get_all("Set-Cookie") or [] if answer.headers else []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def get(self, path: str):
        answer = self.client.request("GET", path, headers=self._headers())
        self._keep_cookies(answer)
        return answer

    def post(self, path: str, form: dict):
        headers = self._headers({"Content-Type": "application/x-www-form-urlencoded"})
        answer = self.client.request("POST", path, urlencode(form).encode(), headers)
        self._keep_cookies(answer)
        return answer

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        match = _CSRF.search(page.body)
        if not match:
            raise RuntimeError(f"no CSRF token on {path} (status {page.status})")
        return match.group(1)

    def sign_in(self) -> None:
        token = self.csrf_token("/sign-in")
        answer = self.post(
            "/sign-in", {"username": HANDLER_USERNAME, "password": HANDLER_PASSWORD, "csrf_token": token}
        )
        if answer.status != 302:
            raise RuntimeError(f"signing in answered {answer.status}")


def log_requests(server_url: str, consultation_id: int, count: int, existing: int, seed: int) -> FormResult:
    """Sign in as a handler and log `count` requests one after another through the form; time each save."""
    browser = Browser(LoopbackClient(server_url))
    browser.sign_in()
    token = browser.csrf_token("/requests/new")
    result = FormResult(existing_requests=existing)
    # Callers nobody has seen before (start far beyond the bulk-inserted ones), so no repeat-request question.
    for caller in people(count, seed=seed, start=5_000_000 + seed * count):
        form = {
            "csrf_token": token,
            "consultation_id": str(consultation_id),
            "call_id": "",
            "name": caller.name,
            "address_line_1": caller.address_line_1,
            "address_line_2": "",
            "address_line_3": "",
            "town": caller.town,
            "postcode": caller.postcode.replace(" ", "").lower(),  # as typed; the form normalises it
            "phone": "0151 496 " + caller.phone[-4:],
            "format": "standard",
            "language": "",
            "copies": "1",
            "notes": "",
            "duplicate_reason": "",
        }
        answer = browser.post("/requests/new", form)
        location = answer.headers.get("Location", "") if answer.headers else ""
        if answer.status == 302 and _SAVED.search(location):
            result.latencies_ms.append(answer.ms)
        else:
            result.errors += 1
            if len(result.problems) < 3:
                flagged = "repeat request" if "looks like a repeat request" in answer.body else ""
                result.problems.append(f"status {answer.status} {flagged}".strip())
    return result
