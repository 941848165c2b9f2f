"""TwiML building blocks: one British voice, spelled-out words, and questions that always come back to us."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from twilio.twiml.voice_response import Gather, Say, VoiceResponse

VOICE = "Polly.Amy"
LANGUAGE = "en-GB"
ANSWER_TIMEOUT_SECONDS = 6


@dataclass(frozen=True)
class Chars:
    """Read letter by letter and digit by digit (a postcode, part of a web address)."""

    text: str


@dataclass(frozen=True)
class Digits:
    """Read digit by digit (a reference number)."""

    text: str


@dataclass(frozen=True)
class Pause:
    milliseconds: int = 400


Part = str | Chars | Digits | Pause
Speech = list[Part]


def public_url(endpoint: str, **values) -> str:
    """The absolute URL Twilio should request: the public base URL plus our path (what the signature covers)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def step_url(step: str) -> str:
    return public_url("ivr.step", name=step)


def say(parent: VoiceResponse | Gather, speech: Speech | str) -> None:
    """Add one <Say> in the menu's voice, with spelled-out parts as SSML."""
    parts: Speech = [speech] if isinstance(speech, str) else speech
    element: Say = parent.say(voice=VOICE, language=LANGUAGE)
    text = ""
    for part in parts:
        if isinstance(part, str):
            text = f"{text} {part}".strip() if text else part
            continue
        if text:
            element.append(text + " ")
            text = ""
        if isinstance(part, Chars):
            element.say_as(part.text, interpret_as="characters")
        elif isinstance(part, Digits):
            element.say_as(part.text, interpret_as="digits")
        else:
            element.break_(time=f"{part.milliseconds}ms")
    if text:
        element.append(" " + text if element.verbs else text)


def respond(*speeches: Speech | str) -> VoiceResponse:
    """A response that says each of `speeches` in turn."""
    response = VoiceResponse()
    for speech in speeches:
        say(response, speech)
    return response


def keypad_question(response: VoiceResponse, step: str, question: Speech | str, *, digits: int | None = 1) -> None:
    """Ask for a key press; the answer (or silence) is posted to the step's URL."""
    gather = response.gather(
        input="dtmf",
        action=step_url(step),
        method="POST",
        num_digits=digits,
        timeout=ANSWER_TIMEOUT_SECONDS,
        action_on_empty_result=True,
    )
    say(gather, question)
    # Should Twilio not post the empty result itself, the call still comes back to the same step.
    response.redirect(step_url(step), method="POST")


def speech_question(
    response: VoiceResponse, step: str, question: Speech | str, *, keypad: bool = False, hints: str | None = None
) -> None:
    """Ask for spoken words (and, with `keypad`, keys finished with #)."""
    gather = response.gather(
        input="dtmf speech" if keypad else "speech",
        action=step_url(step),
        method="POST",
        language=LANGUAGE,
        speech_timeout="2",  # seconds of quiet that end an answer; "auto" is not offered by every speech model
        timeout=ANSWER_TIMEOUT_SECONDS,
        finish_on_key="#",
        hints=hints,
        action_on_empty_result=True,
    )
    say(gather, question)
    response.redirect(step_url(step), method="POST")
