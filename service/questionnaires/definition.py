"""Load a questionnaire definition from pdf_templates/ into typed, validated objects.

One definition drives the paper questionnaire, the data-entry form and the export, so it is checked
strictly on load: a mistake here would otherwise reach print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

PDF_TEMPLATES = Path(__file__).resolve().parents[2] / "pdf_templates"
QuestionType = Literal["scale", "single", "multiple", "text"]
_TYPES = ("scale", "single", "multiple", "text")


class DefinitionError(ValueError):
    """The definition file is wrong; the message names the question."""


@dataclass(frozen=True)
class Option:
    code: str
    label: str


@dataclass(frozen=True)
class Question:
    number: str
    code: str
    type: QuestionType
    text: str
    help: str = ""
    options: tuple[Option, ...] = ()
    lines: int = 0  # free-text questions: how many writing lines on paper

    @property
    def instruction(self) -> str:
        """What the paper tells the respondent to do."""
        return {
            "scale": "Tick one box",
            "single": "Tick one box",
            "multiple": "Tick all that apply",
            "text": "Write your answer in the box",
        }[self.type]

    def option_label(self, code: str) -> str | None:
        return next((o.label for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: str
    intro: str
    sections: tuple[Section, ...]
    missing_codes: dict[str, Option] = field(default_factory=dict)
    illegible_marker: str = "[illegible]"

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(code)


def _option(raw: dict, where: str) -> Option:
    if not isinstance(raw, dict) or "code" not in raw or "label" not in raw:
        raise DefinitionError(f"{where}: every option needs a code and a label")
    return Option(code=str(raw["code"]), label=str(raw["label"]))


def _question(raw: dict, scales: dict[str, tuple[Option, ...]]) -> Question:
    where = f"question {raw.get('number', '?')}"
    for key in ("number", "code", "type", "text"):
        if not raw.get(key):
            raise DefinitionError(f"{where}: `{key}` is missing")
    qtype = raw["type"]
    if qtype not in _TYPES:
        raise DefinitionError(f"{where}: type must be one of {', '.join(_TYPES)}")
    options: tuple[Option, ...] = ()
    if qtype == "scale":
        if raw.get("scale") not in scales:
            raise DefinitionError(f"{where}: unknown scale {raw.get('scale')!r}")
        options = scales[raw["scale"]]
    elif qtype in ("single", "multiple"):
        options = tuple(_option(o, where) for o in raw.get("options") or [])
        if len(options) < 2:
            raise DefinitionError(f"{where}: a choice needs at least two options")
    lines = int(raw.get("lines", 0))
    if qtype == "text" and lines < 1:
        raise DefinitionError(f"{where}: a text question needs `lines` of at least 1")
    codes = [o.code for o in options]
    if len(set(codes)) != len(codes):
        raise DefinitionError(f"{where}: option codes repeat")
    return Question(
        number=str(raw["number"]),
        code=str(raw["code"]),
        type=qtype,
        text=str(raw["text"]),
        help=str(raw.get("help", "")),
        options=options,
        lines=lines,
    )


def parse_definition(data: dict) -> Questionnaire:
    """Build a Questionnaire from the parsed YAML, or raise DefinitionError."""
    scales = {
        name: tuple(_option(o, f"scale {name}") for o in opts) for name, opts in (data.get("scales") or {}).items()
    }
    sections = tuple(
        Section(
            title=str(s["title"]),
            intro=str(s.get("intro", "")),
            questions=tuple(_question(q, scales) for q in s.get("questions") or []),
        )
        for s in data.get("sections") or []
    )
    questionnaire = Questionnaire(
        id=str(data["id"]),
        version=int(data.get("version", 1)),
        title=str(data["title"]),
        intro=str(data.get("intro", "")),
        sections=sections,
        missing_codes={k: _option(v, "missing_codes") for k, v in (data.get("missing_codes") or {}).items()},
        illegible_marker=str(data.get("illegible_marker", "[illegible]")),
    )
    for unique in ("number", "code"):
        values = [getattr(q, unique) for q in questionnaire.questions]
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise DefinitionError(f"question {unique}s repeat: {', '.join(repeated)}")
    if not questionnaire.questions:
        raise DefinitionError("the questionnaire has no questions")
    return questionnaire


@cache
def load_questionnaire(relative_path: str) -> Questionnaire:
    """Load (once per process) the definition at `relative_path` under pdf_templates/."""
    path = (PDF_TEMPLATES / relative_path).resolve()
    if PDF_TEMPLATES not in path.parents:
        raise DefinitionError(f"{relative_path} is outside pdf_templates/")
    with path.open(encoding="utf-8") as handle:
        return parse_definition(yaml.safe_load(handle))


def load_consultation_facts(slug: str) -> dict:
    """Load the facts file `pdf_templates/<slug>/consultation.yaml`."""
    with (PDF_TEMPLATES / slug / "consultation.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
