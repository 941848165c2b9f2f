"""Phone-menu fixtures: whole calls played by the walker, signed with twilio's RequestValidator."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from service.extensions import db
from service.ivr.hours import DAYS
from service.ivr.walker import CallWalker, FlaskTransport
from service.models import Call, PaperRequest
from service.models.consultations import UK
from service.models.types import utcnow
from tests.factories import make_consultation

PUBLIC_BASE_URL = "https://survey-line.example.org"
LINE = "+441513301249"  # the shipped consultation's number, which make_consultation copies
CALLER_NUMBER = "+447700900123"
ADVISER_NUMBER = "+441515550100"


def hours_today(open_now: bool) -> str:
    """ADVISER_HOURS that are open all of today, or only on another day of the week."""
    weekday = utcnow().astimezone(UK).weekday()
    day = DAYS[weekday if open_now else (weekday + 3) % 7]
    return f"{day} 00:00-24:00" if open_now else f"{day} 09:00-17:00"


@pytest.fixture
def menu_settings(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC_BASE_URL)
    monkeypatch.setitem(app.config, "ADVISER_NUMBER", ADVISER_NUMBER)
    monkeypatch.setitem(app.config, "ADVISER_HOURS", hours_today(open_now=False))
    return app.config


@pytest.fixture
def consultation(app_ctx, menu_settings):
    return make_consultation("phone-menu", title="Digital Strategy and Action Plan 2021-2023")


@pytest.fixture
def ring(client, menu_settings) -> Callable[..., CallWalker]:
    """Start a call to the line (or `to`) and return the walker, after the welcome."""

    def start(to: str = LINE, from_: str = CALLER_NUMBER, token: str | None = None) -> CallWalker:
        call = CallWalker(
            FlaskTransport(client), token or menu_settings["TWILIO_AUTH_TOKEN"], PUBLIC_BASE_URL, to, from_
        )
        call.dial()
        return call

    return start


def said(call: CallWalker) -> str:
    return " ".join(call.said)


def spoken_reference(text: str) -> str:
    """The reference as the menu reads it (`4 8 2, 9 1 3, 5 5 7 0`), as ten digits."""
    match = re.search(r"Your reference number is ([\d ,]+?),? Again", text)
    assert match, text
    return re.sub(r"\D", "", match.group(1))


def menu_call(call: CallWalker) -> Call:
    db.session.expire_all()
    return db.session.scalar(select(Call).where(Call.call_sid == call.call_sid))


def all_requests() -> list[PaperRequest]:
    db.session.expire_all()
    return list(db.session.scalars(select(PaperRequest).order_by(PaperRequest.id)))


def give_address(
    call: CallWalker, *, name="Ada Lovelace", postcode="L1 9BQ", house="12", street="Hope Street", town="Liverpool"
) -> None:
    """Answer name, postcode (and confirm it), house, street and town, confidently."""
    call.say(name)
    call.say(postcode)
    assert "If that is right, press 1" in said(call)
    call.press("1")
    call.press(house) if house.isdigit() else call.say(house)
    call.say(street)
    call.say(town)
