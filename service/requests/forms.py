"""The paper-copy request form, in the order a handler asks on the phone."""

from __future__ import annotations

import re

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from service.emails import email_is_set_up
from service.forms import Form
from service.geo.phones import is_uk_mobile
from service.models import MADE_WITH_TOOLS, Delivery, PrintFormat
from service.packs.postal_rules import normalise_line, window_problems
from service.params import bounded_int
from service.twilio_rest import rest_is_set_up
from service.validators import uk_phone, uk_postcode

NOTES_MAX = 1000
ADDRESS_LINE_MAX = 50  # an outer bound; whether a line fits the envelope window is measured in the font
WINDOW_FIELDS = ("name", "address_line_1", "address_line_2", "address_line_3", "town", "postcode")
# Enough to catch a mistyped address said over the phone; the mail server has the last word.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
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
    delivery = RadioField(
        "Braille and audio: how to send it",
        choices=[SelectChoice(d.value, d.label) for d in Delivery],
        default=Delivery.POST.value,
        validators=[Optional()],
    )
    email = StringField("Caller's email address", validators=[Length(max=254, message="Email address is too long")])
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self, "delivery", None) is not None:
            # Offer only the ways this service can send: email needs SMTP, a text needs Twilio.
            offered = {Delivery.POST, *([Delivery.EMAIL] if email_is_set_up() else [])}
            offered |= {Delivery.TEXT} if rest_is_set_up() else set()
            self.delivery.choices = [SelectChoice(d.value, d.label) for d in Delivery if d in offered]

    def validate_delivery(self, field) -> None:
        chosen = field.data or Delivery.POST.value
        if chosen == Delivery.POST.value:
            return
        if chosen not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose how to send it from the list")
        if self.format.data not in {f.value for f in MADE_WITH_TOOLS}:
            raise ValidationError("Only braille and audio are sent by email or text: choose by post")
        if chosen == Delivery.TEXT.value and self.format.data != PrintFormat.AUDIO.value:
            raise ValidationError("Only audio is sent by text (as a download link): choose email or post for braille")
        if chosen == Delivery.TEXT.value and not is_uk_mobile(getattr(self.phone, "normalised", None)):
            raise ValidationError("To text a download link, enter the caller's UK mobile number above")

    def validate_email(self, field) -> None:
        typed = (field.data or "").strip()
        if self.delivery.data == Delivery.EMAIL.value and not typed:
            raise ValidationError("Enter the caller's email address, or choose another way to send it")
        if typed and not _EMAIL.fullmatch(typed):
            raise ValidationError("Enter an email address like name@example.com")

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
    delivery = None  # kept as the request was logged
    email = None
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
