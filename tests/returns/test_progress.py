"""Progress: returns at each stage, and each keyer's speed and agreement rate, against known data."""

from __future__ import annotations

import re
from datetime import timedelta

from service.dao.returns import receive_return, save_keying
from service.models import Role
from service.models.types import utcnow
from tests.factories import day, make_consultation, make_request
from tests.returns.conftest import answers


def keyed(return_id: int, keyer_id: int, minutes: float, questionnaire, **changes):
    """Save an entry that took `minutes` to key."""
    started = utcnow() - timedelta(minutes=minutes)
    return save_keying(return_id, keyer_id, answers(**changes), started, questionnaire)


def count_on(page: str, key: str) -> int:
    return int(re.search(rf'data-count="{key}"><span class="summary-card__count">(\d+)', page)[1])


def test_progress_counts_and_keyer_figures(sign_in, consultation, questionnaire):
    supervisor, _ = sign_in(Role.SUPERVISOR)
    _, kofi = sign_in(Role.DATA_ENTRY, "kofi")
    _, kim = sign_in(Role.DATA_ENTRY, "kim")
    closed = make_consultation("closed", open_now=False)
    packs = [make_request(consultation).packs[0] for _ in range(4)]

    def receipt(pack=None, where=consultation):
        return receive_return(where, pack, day(0), where.closes_on < day(0), None).id

    agreed, disputed, once, waiting = (receipt(pack) for pack in packs)
    receipt(packs[3])  # a duplicate of `waiting`
    receipt()  # unreferenced
    late = receipt(make_request(closed).packs[0], closed)
    # Kofi keys three forms in 30 minutes in all; Kim two in 20. They agree on one form and differ on one.
    keyed(agreed, kofi, 10, questionnaire)
    keyed(agreed, kim, 10, questionnaire)
    keyed(disputed, kofi, 10, questionnaire)
    keyed(disputed, kim, 10, questionnaire, q8_responding_as="2")
    keyed(once, kofi, 10, questionnaire)

    page = supervisor.get("/returns/progress").get_data(as_text=True)
    expected = {
        "received": 7,
        "waiting": 4,
        "keyed_once": 1,
        "verified": 1,
        "in_dispute": 1,
        "late": 1,
        "unreferenced": 1,
        "duplicates": 1,
    }
    assert {key: count_on(page, key) for key in expected} == expected
    assert page.count("<tr data-keyer=") == 2
    kofi_row = re.search(rf'data-keyer="{kofi}">(.*?)</tr>', page, re.S)[1]
    kim_row = re.search(rf'data-keyer="{kim}">(.*?)</tr>', page, re.S)[1]
    assert re.findall(r"<td>([^<]+)</td>", kofi_row)[1:3] == ["3", "6.0"]  # 3 forms in 30 minutes
    assert re.findall(r"<td>([^<]+)</td>", kim_row)[1:3] == ["2", "6.0"]
    assert '50% <span class="hint-inline">(1 of 2 forms)</span>' in kofi_row
    assert "50%" in kim_row

    # One consultation's figures leave the other's out.
    page = supervisor.get(f"/returns/progress?consultation={closed.id}").get_data(as_text=True)
    assert count_on(page, "received") == 1 and count_on(page, "late") == 1 and late


def test_data_entry_staff_see_the_counts_but_not_colleagues_figures(sign_in, consultation):
    keyer, _ = sign_in(Role.DATA_ENTRY)
    page = keyer.get("/returns/progress").get_data(as_text=True)
    assert 'data-count="received"' in page and "Agreement rate" not in page
