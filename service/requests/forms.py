"""The paper-copy request form, in the order a handler asks on the phone."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from service.forms import Form
from service.models import PrintFormat
from service.packs.postal_rules import normalise_line, window_problems
from service.params import bounded_int
from service.validators import uk_phone, uk_postcode

NOTES_MAX = 1000
ADDRESS_LINE_MAX = 50  # an outer bound; whether a line fits the envelope window is measured in the font
WINDOW_FIELDS = ("name", "address_line_1", "address_line_2", "address_line_3", "town", "postcode")
WINDOW_LABELS = {"name": "The name", "town": "The town or city", "postcode": "The postcode"}


def check_postal_rules(form) -> bool:
    """Check the name and address fields as the envelope window will print them, with the renderer's own rule.

    Each problem goes beside its field; fields that already have an error are left with that one.
    """
    if any(getattr(form, name).errors for name in WINDOW_FIELDS):
        return False
    fields = [
        getattr(form, name)
        for name in WINDOW_FIELDS
        if name in ("name", "address_line_1", "town", "postcode") or normalise_line(getattr(form, name).data)
    ]
    lines = [getattr(field, "normalised", None) or normalise_line(field.data) for field in fields]
    labels = [WINDOW_LABELS.get(field.name, "This line") for field in fields]
    problems = window_problems(lines, labels)
    for index, message in problems.items():
        (fields[index] if index >= 0 else form.address_line_1).errors.append(message)
    return not problems


class PaperRequestForm(Form):
    consultation_id = SelectField(
        "Consultation", coerce=int, validators=[InputRequired("Select the consultation the caller is asking about")]
    )
    call_id = HiddenField()
    name = StringField(
        "Caller's name",
        validators=[
            InputRequired("Enter the caller's name"),
            Length(max=100, message="Name must be 100 characters or fewer"),
        ],
    )
    address_line_1 = StringField(
        "Address line 1",
        validators=[
            InputRequired("Enter the first line of the address, such as the house number and street"),
            Length(max=ADDRESS_LINE_MAX, message=f"Address line 1 must be {ADDRESS_LINE_MAX} characters or fewer"),
        ],
    )
    address_line_2 = StringField(
        "Address line 2 (optional)",
        validators=[
            Optional(),
            Length(max=ADDRESS_LINE_MAX, message=f"Address line 2 must be {ADDRESS_LINE_MAX} characters or fewer"),
        ],
    )
    address_line_3 = StringField(
        "Address line 3 (optional)",
        validators=[
            Optional(),
            Length(max=ADDRESS_LINE_MAX, message=f"Address line 3 must be {ADDRESS_LINE_MAX} characters or fewer"),
        ],
    )
    town = StringField(
        "Town or city",
        validators=[
            InputRequired("Enter the town or city"),
            Length(max=ADDRESS_LINE_MAX, message=f"Town or city must be {ADDRESS_LINE_MAX} characters or fewer"),
        ],
    )
    postcode = StringField("Postcode", validators=[InputRequired("Enter the postcode"), uk_postcode])
    phone = StringField("Phone number (optional)", validators=[Optional(), uk_phone])
    format = RadioField(
        "Format",
        choices=[SelectChoice(f.value, f.label) for f in PrintFormat],
        default=PrintFormat.STANDARD.value,
        validators=[InputRequired("Select the format the caller needs")],
    )
    language = StringField(
        "Which language?", validators=[Length(max=80, message="Language must be 80 characters or fewer")]
    )
    # A string field, so "two" or "1.5" get a plain-English message rather than WTForms' own.
    copies = StringField(
        "Number of copies", default="1", validators=[InputRequired("Enter the number of copies, from 1 to 5")]
    )
    notes = TextAreaField(
        "Notes (optional)", validators=[Length(max=NOTES_MAX, message=f"Notes must be {NOTES_MAX} characters or fewer")]
    )
    duplicate_reason = TextAreaField(
        "Why send another copy?",
        validators=[Length(max=500, message="Reason must be 500 characters or fewer")],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return check_postal_rules(self) and valid

    def validate_language(self, field) -> None:
        if self.format.data == PrintFormat.OTHER_LANGUAGE.value and not (field.data or "").strip():
            raise ValidationError("Enter the language the caller needs")

    def validate_copies(self, field) -> None:
        # ASCII digits only: "²" and "①" pass str.isdigit but are not a number anyone typed.
        try:
            copies = bounded_int(field.data or "")
        except ValueError:
            copies = 0
        if not 1 <= copies <= 5:
            raise ValidationError("Number of copies must be a whole number from 1 to 5")


class CorrectionForm(PaperRequestForm):
    """The request form's caller, format and copies fields, checked the same way, with why it changed."""

    consultation_id = None
    call_id = None
    notes = None
    duplicate_reason = None
    reason = StringField(
        "Why the change (optional)",
        validators=[Length(max=200, message="Reason must be 200 characters or fewer")],
    )


class CancelForm(Form):
    """Cancel the whole request or one copy, with a reason."""

    what = RadioField("What do you want to cancel?", validators=[InputRequired("Select what to cancel")])
    reason = StringField(
        "Why?",
        validators=[
            InputRequired("Enter why, for example: the caller no longer wants it"),
            Length(max=200, message="Reason must be 200 characters or fewer"),
        ],
    )

    def validate_reason(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError("Enter why, for example: the caller no longer wants it")
