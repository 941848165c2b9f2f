"""Demonstration staff and data, so a newcomer can walk every flow straight after `make run`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from service.auth.passwords import hash_password
from service.consultations.loading import (
    demonstration_source,
    load_consultation,
    shipped_consultations,
    values_from_facts,
)
from service.dao.consultations import upsert_consultation
from service.dao.requests import create_request, find_likely_duplicates
from service.dao.staff import create_staff, get_staff_by_username
from service.models import Consultation, PrintFormat, Role
from service.models.types import uk_today, utcnow
from service.questionnaires.definition import load_consultation_facts
from service.requests.intake import build_new_request

DEMO_SLUG = "demo-digital-strategy"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    password: str


DEMO_ACCOUNTS = (
    DemoAccount("handler", "Hana Handler (demo)", Role.CALL_HANDLER, "try-the-call-handler"),
    DemoAccount("keyer", "Kofi Keyer (demo)", Role.DATA_ENTRY, "try-the-data-entry"),
    DemoAccount("keyer2", "Kim Keyer (demo)", Role.DATA_ENTRY, "try-the-data-entry-2"),
    DemoAccount("supervisor", "Sam Supervisor (demo)", Role.SUPERVISOR, "try-the-supervisor"),
)

_DEMO_CALLERS = (
    ("Siân Roberts", "12 Hope Street", "", "Liverpool", "L1 9BQ", PrintFormat.STANDARD),
    ("Joseph O'Brien", "4 Marine Terrace", "Waterloo", "Liverpool", "L22 5PR", PrintFormat.LARGE_PRINT),
    ("Zoë Nguyen", "Flat 3, 88 Borough Road", "", "Birkenhead", "CH41 2XX", PrintFormat.STANDARD),
    ("Margaret Ellis", "27 Victoria Road", "", "Widnes", "WA8 7QL", PrintFormat.BRAILLE),
    ("Dewi Owens", "9 Lark Lane", "", "Liverpool", "L17 8UU", PrintFormat.AUDIO),
)


def demo_consultation() -> Consultation:
    """A clearly labelled copy of the consultation marked `demonstration_source`, open now, for trying every flow."""
    facts = load_consultation_facts(demonstration_source())
    values = values_from_facts(facts)
    today = uk_today()
    # Every date moves by the same amount, so the letter's deadline and "what happens next" agree.
    shift = today - timedelta(days=14) - values["opens_on"]
    keys = ("opens_on", "closes_on", "decision_on", "late_replies_until")
    moved = {key: values[key] + shift for key in keys if values[key] is not None}
    values.update(moved, is_demo=True)
    return upsert_consultation(DEMO_SLUG, values)


def load_demo_data() -> list[DemoAccount]:
    """Add demo staff, the demo consultation and a few requests; safe to run again."""
    for slug in shipped_consultations():
        load_consultation(slug)
    consultation = demo_consultation()
    for account in DEMO_ACCOUNTS:
        if get_staff_by_username(account.username) is None:
            create_staff(account.username, account.display_name, account.role, hash_password(account.password))
    handler = get_staff_by_username("handler")
    if handler is None:
        raise LookupError("the demo call handler was not made")
    for name, line_1, line_2, town, postcode, print_format in _DEMO_CALLERS:
        if find_likely_duplicates(consultation.id, name, line_1, postcode):
            continue
        details = build_new_request(
            consultation,
            now=utcnow(),
            working_days_allowed=current_app.config["ALTERNATIVE_FORMAT_WORKING_DAYS"],
            name=name,
            address_line_1=line_1,
            address_line_2=line_2,
            town=town,
            postcode=postcode,
            phone=None,
            print_format=print_format,
        )
        create_request(details, handler.id, handler.display_name)
    from service.returns.demo import load_demo_returns

    load_demo_returns(consultation)
    return list(DEMO_ACCOUNTS)


@click.command("demo-data")
@click.option("--force", is_flag=True, help="Allow in production (never do this with real callers' data).")
@with_appcontext
def demo_data(force: bool) -> None:
    """Add demo sign-ins, consultation and requests.

    Demo staff (their passwords are printed), a demonstration consultation open today and a few requests and
    returns, so every screen has something to show. Safe to run again; refused in production.
    """
    if current_app.config["ENV_NAME"] == "production" and not force:
        raise click.ClickException("Refusing to add demo data in production (use --force to override).")
    accounts = load_demo_data()
    click.echo("Demo sign-ins:")
    for account in accounts:
        click.echo(f"  {account.role.label:<13} username {account.username:<11} password {account.password}")
