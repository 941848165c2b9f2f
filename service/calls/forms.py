"""The call log form."""

from __future__ import annotations

from datetime import timedelta

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from service.dates import DateInputField
from service.forms import Form
from service.models import CallOutcome, PrintFormat
from service.models.types import utcnow
from service.validators import uk_phone

HANDLER_OUTCOMES = [o for o in CallOutcome if o not in (CallOutcome.INCOMPLETE, CallOutcome.SURVEY_ANSWERED)]
# A callback is a promise to a caller: one due in the past, or more than a year ahead, is a typing slip.
CALLBACK_LATEST = timedelta(days=365)
CALLBACK_GRACE = timedelta(minutes=5)  # "call back at 14:30" typed at 14:31 is still meant as now


class CallForm(Form):
    consultation_id = SelectField(
        "Consultation", coerce=int, validators=[InputRequired("Select the consultation the call is about")]
    )
    caller_name = StringField(
        "Caller's name (optional)",
        validators=[Optional(), Length(max=100, message="Name must be 100 characters or fewer")],
    )
    caller_phone = StringField("Caller's phone number (optional)", validators=[Optional(), uk_phone])
    outcome = RadioField(
        "What was the call about?",
        choices=[SelectChoice(o.value, o.label) for o in HANDLER_OUTCOMES],
        validators=[InputRequired("Select what the call was about")],
    )
    # Which format, under "Other format requested": carried to the request form so it opens with it chosen.
    requested_format = RadioField(
        "Which format?",
        choices=[SelectChoice(f.value, f.label) for f in PrintFormat if f != PrintFormat.STANDARD],
        validate_choice=False,  # checked in validate_requested_format, only when it matters
    )
    callback_due = DateInputField("Call back by", with_time=True, required=False)  # see validate_callback_due
    notes = TextAreaField(
        "Notes (optional)", validators=[Length(max=1000, message="Notes must be 1000 characters or fewer")]
    )

    def validate_requested_format(self, field) -> None:
        if self.outcome.data != CallOutcome.OTHER_FORMAT.value:
            field.data = None
            return
        if field.data not in {f.value for f in PrintFormat if f != PrintFormat.STANDARD}:
            raise ValidationError("Select the format the caller asked for")

    def validate_callback_due(self, field) -> None:
        if self.outcome.data != CallOutcome.CALLBACK_NEEDED.value:
            field.errors.clear()  # a half-typed date under another outcome is not wanted: ignore it
            field.data = None
            return
        if field.errors:
            return  # the date itself is wrong: that message says which part
        if field.data is None:
            raise ValidationError("Enter the date and time to call back by")
        now = utcnow()
        if field.data < now - CALLBACK_GRACE:
            raise ValidationError("Call back by must be in the future: check the day and time")
        if field.data > now + CALLBACK_LATEST:
            raise ValidationError("Call back by must be within a year from today: check the year")
