"""One-time form keys: make something once per submitted form, whatever the timing of a second submit."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from service.dao import transactional
from service.extensions import db
from service.models import FormKey


def result_for_form_key(kind: str, key: str) -> int | None:
    """What the first submission of this form made, if it has been made."""
    return db.session.scalar(select(FormKey.result_id).where(FormKey.key == key, FormKey.kind == kind))


@transactional
def _make_and_remember(kind: str, key: str | None, make: Callable[[], int]) -> int:
    if key:
        # The key first: a concurrent second submission waits here on the primary key, then fails,
        # before it has done any of the work.
        db.session.add(FormKey(key=key, kind=kind))
        db.session.flush()
    result_id = make()  # joins this transaction
    if key:
        db.session.execute(update(FormKey).where(FormKey.key == key).values(result_id=result_id))
    return result_id


def make_once(kind: str, key: str | None, make: Callable[[], int]) -> tuple[int, bool]:
    """Run `make` (which returns the id of what it made) unless this form key already made something.

    Return the id and whether it is new. Without a key (a client that sends none) it simply makes.
    """
    if key:
        earlier = db.session.get(FormKey, key)
        if earlier is not None and earlier.kind == kind and earlier.result_id is not None:
            return earlier.result_id, False
        if earlier is not None and earlier.kind != kind:
            key = None  # another form's key (a page with two forms, or a hand-made post): not this form's
    try:
        return _make_and_remember(kind, key, make), True
    except IntegrityError:
        made_id = result_for_form_key(kind, key) if key else None
        if made_id is None:
            raise
        return made_id, False
