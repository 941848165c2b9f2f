"""The web side of `make faults`: a real gunicorn whose processes are killed while a call handler posts
requests through it, as a browser on a bad line would: a POST that got no answer (or a server error) is
sent again with the same one-time form key until it is answered.

Afterwards every request the handler was told was saved must exist once, and no retried POST may have
saved a second request for the same caller.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.environment import PROJECT_ROOT, Database, Workspace, free_port
from benchmarks.loopback import TIMEOUT_SECONDS, Answer, LoopbackClient
from benchmarks.people import Person, people
from benchmarks.request_form import Browser

GIVE_UP_AFTER_SECONDS = 240  # a POST still unanswered after this counts as lost to the handler
_SAVED = re.compile(r"/requests/(\d+)\?saved=1$")
_FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The web's callers are not the bulk-created ones, so none of them looks like a repeat request.
FIRST_WEB_CALLER = 1_000_000


class OneTryClient(LoopbackClient):
    """Each request on a new connection, sent once: a POST cut off by a kill is the caller's to send again
    (LoopbackClient would quietly send it a second time), and counted when it is."""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            return Answer(response.status, response.headers, text, (time.perf_counter() - started) * 1000)
        except (http.client.HTTPException, OSError):
            return Answer(0, None, "", (time.perf_counter() - started) * 1000)
        finally:
            connection.close()


class WebServer:
    """gunicorn with the project's settings, in a process group of its own so all of it can be killed."""

    def __init__(self, workspace: Workspace, database: Database, processes: int = 2) -> None:
        self.workspace, self.database, self.processes = workspace, database, processes
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.starts = 0
        self.process = self._start()

    def _start(self) -> subprocess.Popen:
        self.starts += 1
        env = self.workspace.env(
            self.database, HOST="127.0.0.1", PORT=str(self.port), WEB_CONCURRENCY=str(self.processes)
        )
        with (self.workspace.folder("logs") / "gunicorn.log").open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "service.wsgi:app"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_answering(process)
        return process

    def _wait_until_answering(self, process: subprocess.Popen, timeout: float = 120) -> None:
        client = OneTryClient(self.url)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}): {self.workspace.log_tail('gunicorn.log')}")
            if self.answers(client):
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within two minutes")

    @staticmethod
    def answers(client: LoopbackClient) -> bool:
        return client.request("GET", "/sign-in").status == 200

    def worker_pids(self) -> list[int]:
        """gunicorn's worker processes (the master's children)."""
        pid = self.process.pid
        with contextlib.suppress(OSError):
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        return []

    def kill_worker(self, rng: random.Random) -> None:
        """`kill -9` one web process: gunicorn's master starts another in its place."""
        pids = self.worker_pids()
        if pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(rng.choice(pids), signal.SIGKILL)

    def kill_and_restart(self) -> None:
        """`kill -9` the whole web server (master and workers), then start it again on the same port."""
        self.kill()
        self.process = self._start()

    def kill(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class WebOutcome:
    callers: list[str] = field(default_factory=list)  # the name on each request the handler sent
    saved: dict[str, int] = field(default_factory=dict)  # caller's name -> the request id the answer named
    unanswered: int = 0  # gave up on: the handler never heard it was saved
    resent: int = 0  # POSTs sent again with the same form key (no answer, or a server error)
    answers_lost: int = 0  # of those, answers the server sent that the handler never had
    server_errors: int = 0  # answers of 500 and up
    server_errors_at: list[float] = field(default_factory=list)  # when (time.monotonic()), to find their fault
    refused: list[str] = field(default_factory=list)  # answers that were neither saved nor a failure


class HandlerAtTheForm(threading.Thread):
    """One call handler logging requests through the real form, one after another, until told to stop."""

    def __init__(self, server: WebServer, consultation_id: int, count: int, seed: int, pace: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.server, self.consultation_id, self.seed, self.pace = server, consultation_id, seed, pace
        self.callers = people(count, seed=seed, start=FIRST_WEB_CALLER)
        self.rng = random.Random(seed)
        self.outcome = WebOutcome()
        self.stopping = threading.Event()
        self.error: BaseException | None = None
        self.browser = Browser(OneTryClient(server.url))

    def run(self) -> None:
        try:
            self.sign_in()
            for caller in self.callers:
                if self.stopping.is_set():
                    break
                form = self.fill_in(caller)
                if form is not None:
                    self.send_until_answered(caller, form, first_answer_lost=self.rng.random() < 0.1)
                # A handler's pace (`pace` seconds apart on average), so kills land between and during posts.
                self.stopping.wait(self.rng.uniform(0.0, 2 * self.pace))
        except BaseException as error:  # reported by the fault run, not lost in a thread
            self.error = error

    def sign_in(self) -> None:
        if not _until(lambda: self.browser.sign_in() or True):
            raise RuntimeError("could not sign in to the web within four minutes")

    def fill_in(self, caller: Person) -> dict | None:
        """Open the request form and fill it in for `caller` (None if the form never opened)."""
        page = {}

        def open_form() -> bool:
            answer = self.browser.get("/requests/new")
            keys, tokens = _FORM_KEY.search(answer.body), _CSRF.search(answer.body)
            if answer.status == 200 and keys and tokens:
                page.update(form_key=keys.group(1), csrf_token=tokens.group(1))
                return True
            return False

        if not _until(open_form):
            self.outcome.unanswered += 1
            return None
        return {
            **page,
            "consultation_id": str(self.consultation_id),
            "call_id": "",
            "name": caller.name,
            "address_line_1": caller.address_line_1,
            "address_line_2": "",
            "address_line_3": "",
            "town": caller.town,
            "postcode": caller.postcode,
            "phone": "0151 496 " + caller.phone[-4:],
            "format": "standard",
            "language": "",
            "copies": "1",
            "notes": "",
            "duplicate_reason": "",
        }

    def send_until_answered(self, caller: Person, form: dict, *, first_answer_lost: bool = False) -> None:
        """POST the form; with no answer or a server error, POST the same form (same key) again.

        `first_answer_lost`: the first answer never reaches the handler (a slow line dropped it after the
        server had saved the request), so the form is sent again as it would be.
        """
        self.outcome.callers.append(caller.name)
        sends = 0

        def send() -> bool:
            nonlocal sends
            sends += 1
            answer = self.browser.post("/requests/new", form)
            if first_answer_lost and sends == 1:
                self.outcome.answers_lost += 1
                return False
            if answer.status >= 500:
                self.outcome.server_errors += 1
                self.outcome.server_errors_at.append(time.monotonic())
            location = answer.headers.get("Location", "") if answer.headers else ""
            if answer.status == 302 and (saved := _SAVED.search(location)):
                self.outcome.saved[caller.name] = int(saved.group(1))
                return True
            if answer.status == 0 or answer.status >= 500:
                return False  # no answer, or the server failed: the browser sends the same form again
            self.outcome.refused.append(f"status {answer.status}")
            return True  # answered, but not saved: a handler would read the page, not resend it

        if not _until(send):
            self.outcome.unanswered += 1
        self.outcome.resent += sends - 1


def _until(attempt: Callable[[], bool]) -> bool:
    """Try `attempt` every 0.2 s until it succeeds (True) or GIVE_UP_AFTER_SECONDS pass (False)."""
    deadline = time.monotonic() + GIVE_UP_AFTER_SECONDS
    while time.monotonic() < deadline:
        try:
            if attempt():
                return True
        except RuntimeError:
            pass  # no answer while the web was down
        time.sleep(0.2)
    return False


def web_counts(outcome: WebOutcome) -> tuple[int, int]:
    """(requests answered as saved that are not there as that caller's request, callers saved twice)."""
    from sqlalchemy import select

    from service.extensions import db
    from service.models import Caller, PaperRequest

    db.session.rollback()
    # Each request keeps its own record of the caller; the web's callers' names are theirs alone.
    rows = db.session.execute(
        select(Caller.name, PaperRequest.id)
        .join(PaperRequest, PaperRequest.caller_id == Caller.id)
        .where(Caller.name.in_(outcome.callers or [""]))
    ).all()
    requests_of: dict[str, list[int]] = {}
    for name, request_id in rows:
        requests_of.setdefault(name, []).append(request_id)
    missing = sum(1 for name, request_id in outcome.saved.items() if request_id not in requests_of.get(name, []))
    twice = sum(1 for ids in requests_of.values() if len(ids) > 1)
    return missing, twice
