"""Every copy gets a reference no other copy has: a random draw that is already taken is drawn again, and the
copy that had it keeps it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

import service.dao.request_inserts as request_inserts
import service.dao.requests as requests_dao
from service.dao.requests import create_blank_packs
from service.extensions import db
from service.models import Pack
from service.reference import new_reference
from tests.factories import make_consultation, make_request


@pytest.fixture
def draws(monkeypatch) -> Iterator[list[str]]:
    """References drawn from this list first (then at random); the list shows what is left."""
    planned: list[str] = []

    def draw() -> str:
        return planned.pop(0) if planned else new_reference()

    # A new request's copies draw theirs as its rows are made; another draw, and blank packs, in dao.requests.
    monkeypatch.setattr(request_inserts, "new_reference", draw)
    monkeypatch.setattr(requests_dao, "new_reference", draw)
    yield planned


def references_of(request_id: int) -> list[str]:
    query = select(Pack.reference).where(Pack.request_id == request_id).order_by(Pack.copy_number)
    return list(db.session.scalars(query))


def test_a_reference_already_given_is_drawn_again(app_ctx, draws):
    consultation = make_consultation()
    first = make_request(consultation, name="Ada Lovelace")
    taken = references_of(first.id)[0]
    free = new_reference()
    draws.extend([taken, taken, free])  # taken twice over, then a free one
    second = make_request(consultation, name="Grace Hopper", postcode="L8 7LU")
    assert not draws  # every planned draw was tried
    assert references_of(second.id) == [free]
    assert references_of(first.id) == [taken]  # the first caller's reference still finds their copy
    db.session.expire_all()
    assert [p.reference for p in db.session.get(type(second), second.id).packs] == [free]


def test_two_copies_of_one_request_never_share_a_reference(app_ctx, draws):
    one, other = new_reference(), new_reference()
    draws.extend([one, one, other])
    request = make_request(make_consultation(), copies=2)
    assert references_of(request.id) == [one, other]
    assert [p.copy_number for p in request.packs] == [1, 2]


def test_blank_packs_draw_again_on_a_taken_reference(app_ctx, draws):
    consultation = make_consultation()
    taken = references_of(make_request(consultation).id)[0]
    one, other = new_reference(), new_reference()
    draws.extend([taken, one, taken, other])
    packs = create_blank_packs(consultation.id, 2, None)
    assert [p.reference for p in packs] == [one, other]
    assert all(p.request_id is None for p in packs)
