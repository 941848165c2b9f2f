"""Single entry with a verification sample: most returns keyed once, a reproducible sample keyed again."""

from __future__ import annotations

import pytest

from service.extensions import db
from service.models import Consultation, KeyingMode, Return, ReturnStatus, Role
from service.questionnaires.sample import in_verification_sample
from tests.conftest import csrf_token
from tests.factories import make_request
from tests.returns.conftest import answers, key, receive, received_id


def set_mode(client, consultation_id: int, mode: str, percent: str):
    path = f"/returns/keying-mode/{consultation_id}"
    data = {"keying_mode": mode, "verification_sample_percent": percent, "csrf_token": csrf_token(client, path)}
    return client.post(path, data=data)


def test_the_sample_is_reproducible_and_about_the_size_asked_for():
    chosen = [n for n in range(1, 2001) if in_verification_sample(n, 10)]
    assert chosen == [n for n in range(1, 2001) if in_verification_sample(n, 10)]
    assert 160 <= len(chosen) <= 240
    assert not any(in_verification_sample(n, 0) for n in range(1, 200))
    assert all(in_verification_sample(n, 100) for n in range(1, 200))


def test_a_supervisor_sets_single_entry_with_a_sample(sign_in, consultation):
    supervisor, _ = sign_in(Role.SUPERVISOR)
    response = set_mode(supervisor, consultation.id, "single", "10%")
    assert response.status_code == 302
    assert "10% keyed again" in supervisor.get(response.headers["Location"]).get_data(as_text=True)
    saved = db.session.get(Consultation, consultation.id)
    assert (saved.keying_mode, saved.verification_sample_percent) == (KeyingMode.SINGLE, 10)
    page = set_mode(supervisor, consultation.id, "single", "150").get_data(as_text=True)
    assert "Verification sample must be a whole number from 0 to 100" in page


@pytest.mark.parametrize("percent", [0, 100])
def test_single_entry_verifies_at_once_outside_the_sample_and_asks_again_inside(sign_in, consultation, percent):
    supervisor, _ = sign_in(Role.SUPERVISOR)
    set_mode(supervisor, consultation.id, "single", str(percent))
    keyer, _ = sign_in(Role.DATA_ENTRY)
    references = [make_request(consultation).packs[0].reference for _ in range(3)]
    ids = [received_id(receive(keyer, ref)) for ref in references]
    for return_id in ids:
        key(keyer, return_id, answers())
    statuses = {db.session.get(Return, return_id).status for return_id in ids}
    assert statuses == ({ReturnStatus.KEYED_ONCE} if percent == 100 else {ReturnStatus.VERIFIED})


def test_in_single_entry_exactly_the_sampled_returns_wait_for_a_second_keyer(sign_in, consultation):
    supervisor, _ = sign_in(Role.SUPERVISOR)
    set_mode(supervisor, consultation.id, "single", "50")
    keyer, _ = sign_in(Role.DATA_ENTRY)
    ids = [received_id(receive(keyer, make_request(consultation).packs[0].reference)) for _ in range(6)]
    for return_id in ids:
        page = keyer.get(key(keyer, return_id, answers()).headers["Location"]).get_data(as_text=True)
        sampled = in_verification_sample(return_id, 50)
        expected = "Someone else keys it a second time" if sampled else "not in the verification sample"
        assert expected in page
        status = db.session.get(Return, return_id).status
        assert status == (ReturnStatus.KEYED_ONCE if sampled else ReturnStatus.VERIFIED)
