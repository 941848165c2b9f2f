"""Phone menu under load: whole signed calls against the service under gunicorn on 127.0.0.1.

Each simulated caller plays one whole call after another with the project's own `CallWalker` (the same
signed webhooks, TwiML-following and status callback as Twilio), pausing a second between steps. An
asyncio loop runs the callers and bounds them: so many callers, so many seconds, at most so many
requests; the walker itself is synchronous, so each step runs on a thread of a pool sized to the callers.
Beside them, probes ask `GET /healthz` once a second each: the trivial endpoint in the same server under
the same load, through the same client.

A step counts as an error if it gets no answer, a status other than 200, or the menu's spoken apology
(the webhooks turn failures into an apology rather than a 500). A call counts as complete when the
caller heard their reference and the call ended.
"""

from __future__ import annotations

import asyncio
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from benchmarks.loopback import LoopbackClient, percentile
from benchmarks.people import Person, person

PUBLIC_BASE_URL = "https://survey-line.bench.invalid"
LINE = "+441513301249"  # the shipped consultation's line; the benchmark's open consultation uses it
HEALTH = "GET /healthz"
PAUSE_SECONDS = 1.0
PROBES = 5


@dataclass
class Samples:
    by_label: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_examples: list[str] = field(default_factory=list)
    requests: int = 0

    def add(self, label: str, ms: float, ok: bool, problem: str = "") -> None:
        self.requests += 1
        self.by_label.setdefault(label, []).append(ms)
        if not ok:
            self.errors[label] = self.errors.get(label, 0) + 1
            if len(self.error_examples) < 5:
                self.error_examples.append(f"{label}: {problem}")

    def step_labels(self) -> list[str]:
        return [label for label in self.by_label if label != HEALTH]

    def menu_values(self) -> list[float]:
        return [ms for label in self.step_labels() for ms in self.by_label[label]]

    def menu_errors(self) -> int:
        return sum(n for label, n in self.errors.items() if label != HEALTH)


@dataclass
class MenuLoadResult:
    database: str
    callers: int
    seconds: float
    samples: Samples
    calls_started: int = 0
    calls_completed: int = 0
    calls_failed: int = 0
    failures: list[str] = field(default_factory=list)

    def summary(self, label: str | None = None) -> tuple[float, float, float, int, int]:
        """p50, p95, p99 (ms), how many, how many errors: for one step, or all menu steps when None."""
        if label is None:
            values, errors = self.samples.menu_values(), self.samples.menu_errors()
        else:
            values, errors = self.samples.by_label.get(label, []), self.samples.errors.get(label, 0)
        return percentile(values, 50), percentile(values, 95), percentile(values, 99), len(values), errors


def _label(path: str) -> str:
    return "POST " + urlsplit(path).path


class TimedTransport:
    """The walker's transport: posts to the server on 127.0.0.1 and records each post's latency."""

    def __init__(self, client: LoopbackClient, samples: Samples) -> None:
        self.client, self.samples = client, samples

    def post(self, url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        from service.ivr.prompts import SORRY

        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        answer = self.client.request("POST", path, urlencode(params).encode(), headers)
        apology = answer.status == 200 and SORRY in answer.body
        problem = "apology (failure inside the webhook)" if apology else f"status {answer.status}"
        self.samples.add(_label(path), answer.ms, answer.status == 200 and not apology, problem)
        return answer.status, answer.body


def call_steps(walker, caller: Person):
    """The steps of one whole call asking for a standard-print copy, as a confident caller answers them."""
    return [
        walker.dial,
        lambda: walker.press("1"),  # a paper copy
        lambda: walker.say(caller.name),
        lambda: walker.say(caller.postcode),
        lambda: walker.press("1"),  # the postcode is right
        lambda: walker.press(caller.house),
        lambda: walker.say(caller.street),
        lambda: walker.say(caller.town),
        lambda: walker.press("1"),  # the address is right
        lambda: walker.press("1"),  # standard print: the request is made and the reference read
        walker.silence,  # the caller listens and says nothing: goodbye, hang-up, status callback
    ]


async def _caller(number: int, state: dict, result: MenuLoadResult, executor, transport, token: str) -> None:
    from service.ivr.walker import CallWalker

    loop = asyncio.get_running_loop()
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, 2 * PAUSE_SECONDS))  # callers do not all ring in the same instant
    call_index = 0
    while time.monotonic() < state["deadline"] and result.samples.requests < state["max_requests"]:
        caller = person(rng, number * 1000 + call_index)
        call_index += 1
        walker = CallWalker(transport, token, PUBLIC_BASE_URL, LINE, from_=caller.phone)
        result.calls_started += 1
        try:
            for step in call_steps(walker, caller):
                if time.monotonic() >= state["deadline"]:
                    await loop.run_in_executor(executor, walker.hang_up)
                    return
                await loop.run_in_executor(executor, step)
                if walker.ended:
                    break
                await asyncio.sleep(PAUSE_SECONDS)
        except Exception as error:  # the walker refused what the service said: a failed call
            result.calls_failed += 1
            if len(result.failures) < 5:
                result.failures.append(f"{type(error).__name__}: {error}")
            continue
        if walker.ended and any("Your reference number is" in line for line in walker.transcript):
            result.calls_completed += 1
        else:
            result.calls_failed += 1
            if len(result.failures) < 5:
                result.failures.append("call ended without a reference: " + " | ".join(walker.transcript[-2:]))


async def _probe(number: int, state: dict, samples: Samples, executor, client: LoopbackClient) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(random.Random(-number).uniform(0, PAUSE_SECONDS))
    while time.monotonic() < state["deadline"]:
        answer = await loop.run_in_executor(executor, client.request, "GET", "/healthz")
        samples.add(HEALTH, answer.ms, answer.status == 200, f"status {answer.status}")
        await asyncio.sleep(PAUSE_SECONDS)


async def _load(server_url: str, token: str, callers: int, seconds: float, max_requests: int, database: str):
    samples = Samples()
    result = MenuLoadResult(database=database, callers=callers, seconds=seconds, samples=samples)
    client = LoopbackClient(server_url)
    transport = TimedTransport(client, samples)
    state = {"deadline": time.monotonic() + seconds, "max_requests": max_requests}
    with ThreadPoolExecutor(max_workers=callers + PROBES, thread_name_prefix="caller") as executor:
        tasks = [_caller(n, state, result, executor, transport, token) for n in range(callers)]
        tasks += [_probe(n, state, samples, executor, client) for n in range(PROBES)]
        # Bounded in time even if the server stops answering: every request has its own 15 s timeout too.
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 60)
    return result


def server_settings(token: str) -> dict[str, str]:
    """Environment for gunicorn so the menu accepts webhooks signed with `token` for PUBLIC_BASE_URL."""
    return {
        "SURVEY_LINE_ENV": "development",  # Test pins its own PUBLIC_BASE_URL; development reads the environment
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_AUTH_TOKEN": token,
        "ADVISER_NUMBER": "",
    }


def warm_up(server_url: str, token: str, calls: int = 4) -> None:
    """A few whole calls without pauses, not timed: every gunicorn worker has imported and connected."""
    from service.ivr.walker import CallWalker

    transport = TimedTransport(LoopbackClient(server_url), Samples())
    rng = random.Random(-1)
    for n in range(calls):
        caller = person(rng, 900_000 + n)
        walker = CallWalker(transport, token, PUBLIC_BASE_URL, LINE, from_=caller.phone)
        for step in call_steps(walker, caller):
            step()


def play(server_url: str, token: str, database: str, callers: int, seconds: float) -> MenuLoadResult:
    """Play `callers` whole calls at once, one after another, for `seconds`; bounded in requests too."""
    max_requests = int(callers * seconds * 2 + 1000)  # about 1.1 per caller-second is expected
    return asyncio.run(_load(server_url, token, callers, seconds, max_requests, database))
