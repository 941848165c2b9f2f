"""The check form: one text box per spoken answer, pre-filled with Twilio's transcription."""

from __future__ import annotations

from wtforms import Field, TextAreaField
from wtforms.validators import ValidationError

from service.forms import Form
from service.models import PhoneResponse
from service.questionnaires.answers import TEXT_MAX, normalise
from service.questionnaires.definition import Question, Questionnaire


def _check(question: Question):
    def validator(form, field) -> None:
        value = field.data or ""
        if "\x00" in value:
            raise ValidationError(f"Question {question.number}: remove the invisible character (a NUL) from the answer")
        if len(normalise(question, value)) > TEXT_MAX:
            raise ValidationError(f"Question {question.number}: the answer must be {TEXT_MAX} characters or fewer")

    return validator


def spoken_questions(questionnaire: Questionnaire, response: PhoneResponse) -> list[Question]:
    """The written questions the caller answered by speaking, in the questionnaire's order, still to check."""
    return [
        q
        for q in questionnaire.questions
        if q.type == "text" and q.code not in response.answers and response.recording_for(q.code) is not None
    ]


class CheckFormBase(Form):
    questions: list[Question]

    def typed(self) -> dict[str, str]:
        return {q.code: normalise(q, self[q.code].data or "") for q in self.questions}


def check_form(questionnaire: Questionnaire, response: PhoneResponse, formdata=None) -> CheckFormBase:
    """A form with a text box per spoken answer, named by question code and filled with its draft."""
    questions = spoken_questions(questionnaire, response)
    fields: dict[str, Field] = {
        q.code: TextAreaField(f"{q.number}. {q.text}", validators=[_check(q)]) for q in questions
    }
    form_class = type("PhoneCheckForm", (CheckFormBase,), {"questions": questions, **fields})
    recordings = {q.code: response.recording_for(q.code) for q in questions}
    drafts = {code: recording.draft_text for code, recording in recordings.items() if recording is not None}
    return form_class(formdata=formdata, data=drafts)
