"""One return laid out like the questionnaire, for checking the keyed answers against the paper."""

from __future__ import annotations

import re

from service.models import Role
from tests.returns.conftest import answers, key, receive, received_id


def ticked(page: str, code: str) -> list[str]:
    block = re.search(rf'data-question="{code}">(.*?)</div>\s*(?=<div class="paper-question"|</section>)', page, re.S)[
        1
    ]
    return re.findall(r'data-ticked><span class="paper-box" aria-hidden="true">☒</span> ([^<]+?) <span', block)


def test_a_verified_return_shows_its_answers_in_the_papers_order(sign_in, reference, questionnaire):
    kofi, _ = sign_in(Role.DATA_ENTRY, "kofi")
    kim, _ = sign_in(Role.DATA_ENTRY, "kim")
    return_id = received_id(receive(kofi, reference))
    keyed = answers(q7_anything_else="Faster [illegible] please")
    key(kofi, return_id, keyed)
    key(kim, return_id, keyed)
    page = kim.get(f"/returns/{return_id}").get_data(as_text=True)
    assert "Final answers" in page and "Verified" in page
    shown = re.findall(r'<span class="paper-question__number">(\w+)</span>', page)
    assert shown == [q.number for q in questionnaire.questions]
    assert ticked(page, "q1a_infrastructure_priority") == ["Strongly agree"]
    assert ticked(page, "q11_how_online") == ["Broadband at home", "At a library or community centre"]
    assert ticked(page, "q4a_digitalisation_ai_priority") == [] and "Not answered (-1)" in page
    assert "Faster [illegible] please" in page


def test_a_supervisor_can_compare_both_entries_of_a_disputed_return(sign_in, reference):
    kofi, _ = sign_in(Role.DATA_ENTRY, "kofi")
    kim, _ = sign_in(Role.DATA_ENTRY, "kim")
    supervisor, _ = sign_in(Role.SUPERVISOR)
    return_id = received_id(receive(kofi, reference))
    key(kofi, return_id, answers())
    key(kim, return_id, answers(q1a_infrastructure_priority="5"))
    first = supervisor.get(f"/returns/{return_id}?entry=1").get_data(as_text=True)
    second = supervisor.get(f"/returns/{return_id}?entry=2").get_data(as_text=True)
    assert ticked(first, "q1a_infrastructure_priority") == ["Strongly agree"]
    assert ticked(second, "q1a_infrastructure_priority") == ["Strongly disagree"]
    assert "Settle the disagreements" in first
