"""Form validators shared by several screens. Each leaves the clean value on `field.normalised`."""

from __future__ import annotations

from wtforms.validators import ValidationError

from service.geo.phones import InvalidPhone, normalise_uk_phone
from service.geo.postcodes import InvalidPostcode, normalise_postcode


def uk_postcode(form, field) -> None:
    try:
        field.normalised = normalise_postcode(field.data)
    except InvalidPostcode as problem:
        raise ValidationError(str(problem)) from None


def uk_phone(form, field) -> None:
    field.normalised = None
    if field.data and field.data.strip():
        try:
            field.normalised = normalise_uk_phone(field.data)
        except InvalidPhone as problem:
            raise ValidationError(str(problem)) from None
