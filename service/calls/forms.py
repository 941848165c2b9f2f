"""The call log form."""

from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from service.models import CallOutcome
from service.models.consultations import UK
from service.validators import uk_phone

HANDLER_OUTCOMES = [o for o in CallOutcome if o not in (CallOutcome.INCOMPLETE, CallOutcome.SURVEY_ANSWERED)]


class CallForm(FlaskForm):
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
    callback_due = StringField("Call back by")  # required only for "callback needed": see validate_callback_due
    notes = TextAreaField(
        "Notes (optional)", validators=[Length(max=1000, message="Notes must be 1000 characters or fewer")]
    )

    def validate_callback_due(self, field) -> None:
        field.parsed = None
        if self.outcome.data != CallOutcome.CALLBACK_NEEDED.value:
            return
        text = (field.data or "").strip()
        if not text:
            raise ValidationError("Enter the date and time to call back by")
        try:
            field.parsed = datetime.strptime(text, "%Y-%m-%dT%H:%M").replace(tzinfo=UK)
        except ValueError:
            raise ValidationError("Enter the date and time to call back by, like 27/11/2026 14:30") from None
