"""The consultation picker on handler forms: open consultations first, preselected when only one is open."""

from __future__ import annotations

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from service.dao.consultations import list_consultations
from service.models import Consultation
from service.models.types import uk_today


def fill_consultation_choices(field: SelectField, submitted: bool, *, open_now_only: bool = True) -> list[Consultation]:
    """Offer every consultation in `field`; return them in the order shown.

    One is chosen in advance only when it is the only candidate: the only one open (a caller asks about an
    open consultation), or with open_now_only=False the only one at all (returned forms keep coming after
    a consultation closes, so being open says nothing). Otherwise nobody can save by a stray Enter.
    """
    today = uk_today()
    consultations = sorted(list_consultations(), key=lambda c: (not c.is_open_on(today), c.closes_on))
    field.choices = [SelectChoice(0, "Select a consultation")] + [
        SelectChoice(
            c.id, c.display_name if c.is_open_on(today) else f"{c.display_name} (closed {c.closes_on:%-d %B %Y})"
        )
        for c in consultations
    ]
    candidates = [c for c in consultations if c.is_open_on(today)] if open_now_only else consultations
    if not submitted and not field.data and len(candidates) == 1:
        field.data = candidates[0].id
    return consultations
