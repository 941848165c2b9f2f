"""The profile form: the handler's own phone, checked by the one UK phone rule, without an extension."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import ValidationError

from service.forms import Form
from service.geo.phones import EXTENSION_SEPARATOR
from service.validators import uk_phone


class ProfileForm(Form):
    phone = StringField("Your phone number")

    def validate_phone(self, field) -> None:
        uk_phone(self, field)
        if field.normalised and EXTENSION_SEPARATOR in field.normalised:
            # Twilio rings this number and waits for you to press 1: a switchboard extension would not answer.
            raise ValidationError("Enter a direct number without an extension, like 07911 123456 or 0151 330 1249")
