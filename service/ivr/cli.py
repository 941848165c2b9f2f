"""`flask phone call`: ring the phone menu of a running service from the terminal."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from service.ivr.walker import CallWalker, HttpTransport, WalkerError

HELP = {
    "Gather": "keys (1, 12#), 'say <words>' (add ' @0.4' for unsure speech), Enter for silence, 'hangup'",
    "Record": "after the tone: type what you say (or just Enter), 'silence' to say nothing, 'hangup' to hang up",
    "Dial": "does the adviser answer? 'y' (answered), 'n' (no answer), 'b' (busy), 'hangup'",
}


def _default_line() -> str:
    from service.dao.consultations import list_consultations

    consultations = list_consultations()
    if not consultations:
        raise click.ClickException("No consultation in the database: run `flask seed` (or `flask demo-data`) first.")
    return consultations[0].phone_line


def _act(call: CallWalker, answer: str) -> None:
    text = answer.strip()
    if text.lower() == "hangup":
        call.hang_up()
    elif call.waiting_for == "Record":
        call.silence() if text.lower() == "silence" else call.record(transcript=text or None)
    elif call.waiting_for == "Dial":
        call.answer_dial({"y": "completed", "n": "no-answer", "b": "busy"}.get(text.lower()[:1], "no-answer"))
    elif text.lower().startswith("say "):
        words, _, confidence = text[4:].partition(" @")
        call.say(words.strip(), float(confidence) if confidence else 0.92)
    elif text:
        call.press(text)
    else:
        call.silence()


@click.command("call")
@click.option("--server", default="http://localhost:5000", show_default=True, help="Where the service listens.")
@click.option(
    "--public-url", default=None, help="The PUBLIC_BASE_URL the service signs against (default: its setting)."
)
@click.option("--to", "to", default=None, help="The number dialled, E.164 (default: the first consultation's line).")
@click.option("--from", "from_", default="+447700900123", show_default=True, help="The caller's number (E.164).")
@click.option("--token", default=None, help="The auth token to sign with (default: the TWILIO_AUTH_TOKEN setting).")
@with_appcontext
def phone_call(server: str, public_url: str | None, to: str | None, from_: str, token: str | None) -> None:
    """Play a phone-menu call from the terminal.

    Calls a running service as Twilio would (signed webhooks): each prompt is printed, and you answer by
    keys or typed speech.
    """
    token = token or current_app.config["TWILIO_AUTH_TOKEN"]
    if not token:
        raise click.ClickException("Set TWILIO_AUTH_TOKEN to the token the service checks signatures with.")
    base = public_url or current_app.config["PUBLIC_BASE_URL"] or server
    call = CallWalker(HttpTransport(server), token, base, to or _default_line(), from_)
    shown = 0
    try:
        call.dial()
        while True:
            for line in call.transcript[shown:]:
                click.echo(f"  menu: {line}")
            shown = len(call.transcript)
            waiting = call.waiting_for
            if call.ended or waiting is None:
                break
            _act(call, click.prompt(f"[{HELP[waiting]}]", default="", show_default=False))
    except WalkerError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Call ended after about {round(call.seconds)} seconds (call {call.call_sid}).")
