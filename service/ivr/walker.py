"""A caller in the terminal (and in the tests): plays a call against the menu exactly as Twilio would.

It posts form-encoded, signed webhooks (X-Twilio-Signature from twilio's own RequestValidator), reads the
TwiML that comes back, says what the menu would say, and follows <Gather>, <Redirect>, <Record>, <Dial> and
<Hangup>. When the call ends it sends the status callback, with the call's length, as Twilio does.
A transport carries the posts: the Flask test client in tests, HTTP against a running service otherwise.
"""

from __future__ import annotations

import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlencode, urljoin, urlsplit
from xml.etree import ElementTree

from twilio.request_validator import RequestValidator

if TYPE_CHECKING:
    from flask.testing import FlaskClient

WORDS_PER_SECOND = 2.5


class Transport(Protocol):
    def post(self, url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        """Post `params` form-encoded to the absolute public `url`; return the status and body."""


class WalkerError(RuntimeError):
    """The service answered something Twilio would not accept, or the caller did something impossible now."""


@dataclass
class FlaskTransport:
    """Posts through a Flask test client: the public base URL is stripped, the path and query kept."""

    client: FlaskClient

    def post(self, url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.client.post(path, data=params, headers=headers)
        return response.status_code, response.get_data(as_text=True)


@dataclass
class HttpTransport:
    """Posts over HTTP to `server_url` (say `http://localhost:5000`), whatever public URL was signed."""

    server_url: str
    timeout_seconds: float = 15.0  # Twilio's own limit

    def post(self, url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        parts = urlsplit(url)
        target = self.server_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
        body = urlencode(params).encode()
        request = urllib.request.Request(target, data=body, headers=headers, method="POST")  # noqa: S310 (http(s) only)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def spoken_text(say: ElementTree.Element) -> str:
    """What a <Say> sounds like, as text: spelled parts letter by letter, pauses as commas."""
    pieces = [say.text or ""]
    for child in say:
        if child.tag == "say-as":
            pieces.append(" " + " ".join((child.text or "").replace(" ", "")) + " ")
        elif child.tag == "break":
            pieces.append(", ")
        else:
            pieces.append("".join(child.itertext()))
        pieces.append(child.tail or "")
    text = " ".join("".join(pieces).split())
    return text.replace(" ,", ",").replace(",,", ",").strip(", ")


@dataclass
class CallWalker:
    """One phone call to the menu. Call `dial()`, then answer with `press`, `say`, `silence`, `record`,
    `answer_dial` or `hang_up`; `said` holds what the menu said since the caller last did something."""

    transport: Transport
    auth_token: str
    public_base_url: str
    to: str
    from_: str = "+447700900123"
    call_sid: str = field(default_factory=lambda: "CA" + secrets.token_hex(16))
    voice_path: str = "/ivr/voice"
    status_path: str = "/ivr/status"
    said: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    ended: bool = False
    seconds: float = 0.0
    last_post: tuple[str, dict[str, str]] | None = None
    _waiting: ElementTree.Element | None = None
    _rest: list[ElementTree.Element] = field(default_factory=list)
    _document_url: str = ""

    # What the caller does -------------------------------------------------------------------------------

    def dial(self) -> list[str]:
        """Ring the number: the menu's voice webhook answers."""
        return self._turn(self.public_base_url.rstrip("/") + self.voice_path, {}, first=True)

    def press(self, keys: str) -> list[str]:
        gather = self._expect("Gather")
        if "dtmf" not in gather.get("input", "dtmf"):
            raise WalkerError("this question takes speech, not keys")
        finish = gather.get("finishOnKey", "#")  # Twilio's default; the finishing key is not sent
        if finish and finish in keys:
            keys = keys[: keys.index(finish)]
        limit = int(gather.get("numDigits") or 0)
        return self._turn(self._action(gather), {"Digits": keys[:limit] if limit else keys})

    def say(self, words: str, confidence: float = 0.92) -> list[str]:
        gather = self._expect("Gather")
        if "speech" not in gather.get("input", "dtmf"):
            raise WalkerError("this question takes keys, not speech")
        self.seconds += len(words.split()) / WORDS_PER_SECOND
        return self._turn(self._action(gather), {"SpeechResult": words, "Confidence": f"{confidence:.2f}"})

    def silence(self) -> list[str]:
        """Say nothing: a Gather times out, a Record hears nothing."""
        verb = self._expect("Gather", "Record")
        self.seconds += float(verb.get("timeout") or 5)
        if verb.tag == "Gather" and verb.get("actionOnEmptyResult") == "true":
            return self._turn(self._action(verb), {})
        self.said = []
        self._run(self._rest, self._document_url)
        return self.said

    def record(self, seconds: int = 12, transcript: str | None = None) -> list[str]:
        """Speak after the tone, then press #. With `transcript`, Twilio's transcription of it follows, as Twilio
        posts it to a <Record transcribe="true"> element's transcribeCallback."""
        verb = self._expect("Record")
        self.seconds += seconds
        recording = self._recording(seconds, "#")
        said = self._turn(self._action(verb), recording)
        self._transcribe(verb, recording, transcript)
        return said

    def answer_dial(self, status: str = "completed", seconds: int = 60) -> list[str]:
        """How the dialled adviser's line ended: completed (answered), no-answer, busy or failed."""
        verb = self._expect("Dial")
        self.seconds += seconds if status == "completed" else int(verb.get("timeout") or 30)
        duration = str(seconds) if status == "completed" else "0"
        return self._turn(self._action(verb), {"DialCallStatus": status, "DialCallDuration": duration})

    def hang_up(self, transcript: str | None = None) -> None:
        """Put the phone down now; during a message Twilio still posts what was recorded (and its transcription)."""
        if self.ended:
            return
        if self._waiting is not None and self._waiting.tag == "Record":
            verb, recording = self._waiting, self._recording(5, "hangup")
            self._post(self._action(verb), recording)
            self._transcribe(verb, recording, transcript)
        self._end()

    def retry(self) -> list[str]:
        """Post the last webhook again, as Twilio does when an answer is slow; play the new answer."""
        if self.last_post is None:
            raise WalkerError("nothing to retry")
        url, params = self.last_post
        return self._turn(url, {k: v for k, v in params.items() if k not in self._base_params()})

    @property
    def waiting_for(self) -> str | None:
        """What the menu waits for: `Gather`, `Record` or `Dial` (None once the call has ended)."""
        return None if self.ended or self._waiting is None else self._waiting.tag

    @property
    def gather_input(self) -> str:
        return self._waiting.get("input", "dtmf") if self._waiting is not None else ""

    # How Twilio behaves --------------------------------------------------------------------------------

    def _base_params(self) -> dict[str, str]:
        return {
            "AccountSid": "AC" + "0" * 32,
            "ApiVersion": "2010-04-01",
            "CallSid": self.call_sid,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "From": self.from_,
            "Caller": self.from_,
            "To": self.to,
            "Called": self.to,
        }

    def _recording(self, seconds: int, digits: str) -> dict[str, str]:
        sid = "RE" + secrets.token_hex(16)
        return {
            "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/AC{'0' * 32}/Recordings/{sid}",
            "RecordingSid": sid,
            "RecordingDuration": str(seconds),
            "Digits": digits,
        }

    def _transcribe(self, verb: ElementTree.Element, recording: dict[str, str], transcript: str | None) -> None:
        """Post Twilio's transcription of a recording, when the <Record> asked for one and words were spoken."""
        callback = verb.get("transcribeCallback")
        if transcript is None or verb.get("transcribe") != "true" or not callback:
            return
        self._post(
            urljoin(self._document_url, callback),
            {
                "TranscriptionSid": "TR" + secrets.token_hex(16),
                "TranscriptionText": transcript,
                "TranscriptionStatus": "completed" if transcript else "failed",
                "RecordingSid": recording["RecordingSid"],
                "RecordingUrl": recording["RecordingUrl"],
            },
        )

    def _post(self, url: str, extra: dict[str, str], status: str = "in-progress") -> str:
        params = {**self._base_params(), "CallStatus": status, **extra}
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
        code, body = self.transport.post(url, params, headers)
        if code != 200:
            raise WalkerError(f"{url} answered {code}, which Twilio would treat as an application error")
        return body

    def _turn(self, url: str, extra: dict[str, str], first: bool = False) -> list[str]:
        if self.ended:
            raise WalkerError("the call has ended")
        self.said = []
        self.last_post = (url, {**self._base_params(), **extra})
        body = self._post(url, extra, "ringing" if first else "in-progress")
        self._play(body, url)
        return self.said

    def _play(self, body: str, url: str) -> None:
        try:
            document = ElementTree.fromstring(body)  # noqa: S314 (our own service's TwiML; expat refuses entity bombs)
        except ElementTree.ParseError:
            raise WalkerError("the answer is not TwiML") from None
        if document.tag != "Response":
            raise WalkerError(f"TwiML must start with <Response>, not <{document.tag}>")
        self._run(list(document), url)

    def _run(self, verbs: list[ElementTree.Element], url: str) -> None:
        self._waiting, self._rest, self._document_url = None, [], url
        for index, verb in enumerate(verbs):
            if verb.tag == "Say":
                self._hear(spoken_text(verb))
            elif verb.tag in ("Gather", "Record", "Dial"):
                for say in verb.iter("Say"):
                    self._hear(spoken_text(say))
                if verb.tag == "Record":
                    self._hear("[beep]" if verb.get("playBeep", "true") == "true" else "[recording]")
                if verb.tag == "Dial":
                    self._hear(f"[ringing the adviser, up to {verb.get('timeout', '30')} seconds]")
                self._waiting, self._rest = verb, verbs[index + 1 :]
                return
            elif verb.tag == "Redirect":
                target = urljoin(url, (verb.text or "").strip() or url)
                self.last_post = (target, self._base_params())
                self._play(self._post(target, {}), target)
                return
            elif verb.tag in ("Hangup", "Reject"):
                self._end()
                return
            elif verb.tag != "Pause":
                raise WalkerError(f"the walker does not know <{verb.tag}>")
        self._end()  # Twilio hangs up when a document runs out

    def _hear(self, text: str) -> None:
        if text:
            self.said.append(text)
            self.transcript.append(text)
            self.seconds += len(text.split()) / WORDS_PER_SECOND

    def _expect(self, *tags: str) -> ElementTree.Element:
        if self.ended or self._waiting is None or self._waiting.tag not in tags:
            now = "the call has ended" if self.ended else f"the menu waits for {self.waiting_for}"
            raise WalkerError(f"cannot do that now: {now}")
        return self._waiting

    def _action(self, verb: ElementTree.Element) -> str:
        return urljoin(self._document_url, verb.get("action") or self._document_url)

    def _end(self) -> None:
        if self.ended:
            return
        self.ended, self._waiting = True, None
        status_url = self.public_base_url.rstrip("/") + self.status_path
        self._post(status_url, {"CallDuration": str(max(1, round(self.seconds)))}, "completed")
