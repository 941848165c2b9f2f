"""The menu's steps: each asks one question and handles its answer; silence and wrong keys are handled here once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from twilio.twiml.voice_response import VoiceResponse

from service.ivr import prompts
from service.ivr.state import Turn
from service.ivr.twiml import respond, say
from service.models import CallOutcome

# Asked again this many times after silence or a wrong key; then an adviser is offered.
MAX_REPEATS = 2

Question = Callable[[Turn, VoiceResponse], None]
Answer = Callable[[Turn], VoiceResponse]


@dataclass(frozen=True)
class Step:
    name: str
    question: Question
    answer: Answer
    heard: Callable[[Turn], bool] = lambda turn: turn.heard_something
    on_silence: Answer | None = None  # instead of asking again


STEPS: dict[str, Step] = {}


def step(name: str, question: Question, **options) -> Callable[[Answer], Answer]:
    """Register the answer handler for the step `name`, asked by `question`."""

    def register(answer: Answer) -> Answer:
        STEPS[name] = Step(name, question, answer, **options)
        return answer

    return register


def ask(turn: Turn, name: str, *preface: prompts.Speech | str, saved: bool = False) -> VoiceResponse:
    """Say `preface`, then ask the question of step `name`, and remember that it is the one asked.

    `saved`: the turn's own commit already recorded step `name` as asked, with the answers as they stand
    and no misses (making the call's request does): a second transaction would only write them again.
    """
    turn.answers["misses"] = 0
    response = respond(*preface)
    STEPS[name].question(turn, response)
    if not saved:
        turn.save(name)
    return response


def ask_again(turn: Turn, name: str, problem: str) -> VoiceResponse:
    """Say what went wrong and repeat the question, or offer an adviser once it has been asked enough."""
    turn.answers["misses"] = turn.answers.get("misses", 0) + 1
    if turn.answers["misses"] > MAX_REPEATS and name != "offer_adviser":
        return ask(turn, "offer_adviser", problem)
    response = respond(problem)
    STEPS[name].question(turn, response)
    turn.save(name)
    return response


def wrong_key(turn: Turn, name: str, key: str | None = None) -> VoiceResponse:
    """Name the key that is not a choice, and ask again."""
    if key is None and not turn.digits:
        return ask_again(turn, name, "Sorry, I did not understand.")
    return ask_again(turn, name, prompts.wrong_key(key or turn.digits[:1]))


def goodbye(turn: Turn, note: str = "") -> VoiceResponse:
    """End the call politely; a call that ends with nothing done is logged with `note`."""
    if note and turn.call.outcome is None:
        turn.call.outcome = CallOutcome.OTHER
        turn.call.notes = note
    response = respond(prompts.GOODBYE)
    response.hangup()
    turn.save("goodbye")
    return response


def handle(turn: Turn, name: str) -> VoiceResponse:
    """Handle the answer to step `name`: silence, `*` and wrong keys first, then the step's own answer."""
    current = STEPS.get(name)
    if current is None:
        return sorry()
    if not current.heard(turn):
        if current.on_silence is not None:
            return current.on_silence(turn)
        return ask_again(turn, name, prompts.NOT_HEARD)
    if turn.digits == "*":
        return ask(turn, name)
    return current.answer(turn)


def sorry() -> VoiceResponse:
    """The safe answer when something is wrong: an apology, then a polite end."""
    response = VoiceResponse()
    say(response, prompts.SORRY)
    response.hangup()
    return response
