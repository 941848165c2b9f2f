"""The data-entry form, built from the questionnaire definition: same order, numbers and answer codes as the
paper, plus the codes for "not answered" and "more than one box ticked"."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import Field, HiddenField, RadioField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from service.forms import Form
from service.models.returns import Answers
from service.questionnaires.answers import MULTIPLE_SEPARATOR, missing_options, normalise, problem_with
from service.questionnaires.definition import Question, Questionnaire

STARTED_MAX_AGE_SECONDS = 24 * 60 * 60


class KeyingFormBase(Form):
    started = HiddenField()  # signed time the form was opened: forms per hour come from it

    questionnaire: Questionnaire

    def answers(self) -> Answers:
        """The keyed answers, by question code, in canonical form."""
        return {q.code: normalise(q, _as_text(self[q.code])) for q in self.questionnaire.questions}

    def question_fields(self):
        """(section, [(question, field)]) in the paper's order, for the template."""
        return [(s, [(q, self[q.code]) for q in s.questions]) for s in self.questionnaire.sections]


def _as_text(field: Field) -> str:
    if isinstance(field.data, list):
        return MULTIPLE_SEPARATOR.join(field.data)
    return field.data or ""


def _check(questionnaire: Questionnaire, question: Question):
    def validator(form, field) -> None:
        problem = problem_with(questionnaire, question, _as_text(field))
        if problem:
            raise ValidationError(problem)

    return validator


def _field(questionnaire: Questionnaire, question: Question) -> Field:
    label = f"{question.number}. {question.text}"
    choices = [SelectChoice(o.code, o.label) for o in (*question.options, *missing_options(questionnaire, question))]
    validators = [_check(questionnaire, question)]
    if question.type in ("scale", "single"):
        return RadioField(label, choices=choices, validate_choice=False, validators=validators)
    if question.type == "multiple":
        return SelectMultipleField(label, choices=choices, validate_choice=False, validators=validators)
    return TextAreaField(label, validators=validators)


_FORM_CLASSES: dict[tuple[str, int], type[KeyingFormBase]] = {}


def keying_form_class(questionnaire: Questionnaire) -> type[KeyingFormBase]:
    """A form class with one field per question, named by the question's code (built once per definition)."""
    key = (questionnaire.id, questionnaire.version)
    if key not in _FORM_CLASSES:
        fields = {q.code: _field(questionnaire, q) for q in questionnaire.questions}
        name = f"KeyingForm_{questionnaire.id}_v{questionnaire.version}"
        _FORM_CLASSES[key] = type(name, (KeyingFormBase,), {"questionnaire": questionnaire, **fields})
    return _FORM_CLASSES[key]


def sign_started(moment: datetime) -> str:
    """The hidden `started` value: the time the form was opened, signed so it cannot be altered."""
    return _signer().dumps(moment.isoformat())


def read_started(token: str, fallback: datetime) -> datetime:
    """The time a form was opened, or `fallback` if the value is missing, altered or over a day old."""
    try:
        return datetime.fromisoformat(_signer().loads(token or "", max_age=STARTED_MAX_AGE_SECONDS))
    except (BadSignature, ValueError):
        return fallback


def _signer() -> URLSafeTimedSerializer:
    key = current_app.secret_key
    if key is None:  # the app refuses to start without one outside development and tests, which set their own
        raise RuntimeError("SECRET_KEY is not set")
    return URLSafeTimedSerializer(key, salt="keying-started")
