"""Forms for receiving returns, finding one to key, and a consultation's keying mode."""

from __future__ import annotations

import re

from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from service.dates import DateInputField
from service.forms import Form
from service.models import KeyingMode
from service.models.types import uk_today


def today():
    return uk_today()


def _not_in_future(form, field) -> None:
    if field.data and field.data > today():
        raise ValidationError("Date received must be today or in the past")


class ReceiveForm(Form):
    reference = StringField("Reference number", validators=[InputRequired("Enter the reference number")])
    received_on = DateInputField("Date received", default=today, validators=[_not_in_future])


class UnreferencedForm(Form):
    consultation_id = SelectField(
        "Consultation", coerce=int, validators=[InputRequired("Select the consultation the form is for")]
    )
    received_on = DateInputField("Date received", default=today, validators=[_not_in_future])

    def validate_consultation_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Select the consultation the form is for")


class FindReturnForm(Form):
    class Meta:
        csrf = False  # a search: GET, nothing changes

    q = StringField("Reference number or return number")


class KeyingModeForm(Form):
    keying_mode = RadioField(
        "How should returned forms be keyed?",
        choices=[SelectChoice(m.value, m.label) for m in KeyingMode],
        validators=[InputRequired("Choose how returned forms are keyed")],
    )
    verification_sample_percent = StringField("Verification sample (percent keyed again)")

    def validate_verification_sample_percent(self, field) -> None:
        text = (field.data or "").strip().rstrip("%").strip()
        # ASCII digits only: "²" passes str.isdigit but int() refuses it (found by the hostile-input test).
        if not re.fullmatch(r"[0-9]{1,3}", text) or not 0 <= int(text) <= 100:
            raise ValidationError("Verification sample must be a whole number from 0 to 100")
        field.data = text
