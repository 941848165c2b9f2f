"""The base of every staff form: FlaskForm (CSRF) plus a refusal of control characters in any text field.

A NUL byte would fail in PostgreSQL as a server error; other control characters are never typed by a person.
The message appears beside the field, with what was typed kept, like every other field error.
"""

from __future__ import annotations

from flask_wtf import FlaskForm

from service.text import CONTROL_CHARACTERS_MESSAGE, has_control_characters


class Form(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            raw = field.raw_data or []
            if any(isinstance(value, str) and has_control_characters(value) for value in raw):
                field.errors = [*field.errors, f"{field.label.text} {CONTROL_CHARACTERS_MESSAGE}"]
                valid = False
        return valid
