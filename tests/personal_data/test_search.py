"""Personal-data search: literal input, and every match reachable through pages with a true total."""

from __future__ import annotations

import re

from service.extensions import db
from service.models import Caller, Role
from tests.factories import make_consultation, make_request


def add_callers(count: int, name: str, postcode: str = "L18 1DG") -> None:
    """Callers straight into the table: a subject access search must reach hundreds of them."""
    for number in range(count):
        caller = Caller(name=f"{name} {number:03d}", address_line_1=f"{number} Lark Lane", town="Liverpool",
                        postcode=postcode)  # fmt: skip
        caller.refresh_keys()
        db.session.add(caller)
    db.session.commit()


def people_on(page: str) -> list[str]:
    table = page.split('id="people"', 1)[1].split("</table>", 1)[0] if 'id="people"' in page else ""
    return re.findall(r'<a href="/personal-data/callers/\d+">([^<]+)</a>', table)


def test_every_match_is_reached_page_by_page_with_the_true_total(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        add_callers(230, "Quirke")
        add_callers(3, "Someone Else", "CH41 1AA")
    first = client.get("/personal-data?name=quirke").get_data(as_text=True)
    assert "230 people found: page 1 of 5." in first
    seen = []
    for number in range(1, 6):
        page = client.get(f"/personal-data?name=quirke&page={number}").get_data(as_text=True)
        seen += people_on(page)
    assert len(seen) == 230 and len(set(seen)) == 230 and all(name.startswith("Quirke") for name in seen)
    assert 'rel="next"' in first and "Page 1 of 5" in first


def test_percent_and_underscore_in_the_name_box_match_only_themselves(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation = make_consultation()
        make_request(consultation, name="Persephone Quirke", postcode="L18 1DG")
        make_request(consultation, name="Ada 100% Lovelace", postcode="L1 4DN", address_line_1="2 Bold Street")
    assert people_on(client.get("/personal-data?name=%25").get_data(as_text=True)) == ["Ada 100% Lovelace"]
    assert "0 people found" in client.get("/personal-data?name=_").get_data(as_text=True)
    assert "0 people found" in client.get("/personal-data?name=q%25rke").get_data(as_text=True)
    assert "0 people found" in client.get("/personal-data?name=q_irke").get_data(as_text=True)
    assert people_on(client.get("/personal-data?name=quirke").get_data(as_text=True)) == ["Persephone Quirke"]
