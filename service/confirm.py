"""The confirmation page every irreversible action goes through (GOV.UK style): its question, what will
happen, one button to go on, and a way back. The action's POST route is unchanged; its GET shows this."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template

from service.dates import TypedDate


@dataclass
class DateQuestion:
    """A date asked on the confirmation page itself (for example the day a batch was posted)."""

    name: str
    legend: str
    typed: TypedDate
    hint: str = ""
    error: str | None = None
    bad_parts: tuple[str, ...] = ()


@dataclass
class TextQuestion:
    """A short answer asked on the confirmation page (for example why personal data is being erased)."""

    name: str
    label: str
    value: str = ""
    hint: str = ""
    error: str | None = None


@dataclass
class Confirmation:
    question: str  # the page's heading: "Cancel batch 12?"
    consequences: list[str]  # what will happen, in sentences
    action: str  # where the button posts
    button: str
    back_url: str
    back_label: str
    warning: str | None = None  # "This cannot be undone."
    danger: bool = False  # a red button, for destroying things
    fields: dict[str, str] = field(default_factory=dict)  # hidden values carried to the POST
    back_posts: bool = False  # back is a button posting `fields` with change=yes, so nothing chosen is lost
    date: DateQuestion | None = None
    text: TextQuestion | None = None

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary: a date links to its first wrong box."""
        found = []
        if self.date and self.date.error:
            found.append((f"{self.date.name}-{(self.date.bad_parts or ('day',))[0]}", self.date.error))
        if self.text and self.text.error:
            found.append((self.text.name, self.text.error))
        return found


def render_confirmation(confirmation: Confirmation, status: int = 200):
    """The confirmation page for one action."""
    return render_template("confirm.html", problems=confirmation.problems, **vars(confirmation)), status
