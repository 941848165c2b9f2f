"""What a braille or audio copy says: the letter and the questionnaire as a list of blocks.

Built from the same consultation facts and questionnaire definition as the paper pack, so braille,
sound and paper can never drift apart. The braille and audio writers lay the blocks out each their own
way; the wording that differs between them (how to reply, how numbers are read) is chosen here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from service.packs.content import ConsultationFacts
from service.packs.wording import closing_date, letter_date, phone
from service.questionnaires.definition import Question, Questionnaire

Medium = Literal["braille", "audio"]


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Listing:
    """Lines read or brailled one under another, like an address."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class QuestionBlock:
    number: str
    text: str
    help: str
    how_to_answer: str
    options: tuple[tuple[str, str], ...]  # (code, label)


@dataclass(frozen=True)
class NewPage:
    pass


Block = Heading | Paragraph | Listing | QuestionBlock | NewPage


@dataclass(frozen=True)
class AccessibleContent:
    """One braille or audio copy: its reference, who it is for, and the consultation it belongs to."""

    reference: str
    recipient_name: str | None
    letter_date: date
    consultation: ConsultationFacts
    questionnaire: Questionnaire
    reply_email: str = ""  # from the consultation's facts file; no email line without one


def grouped_reference(reference: str) -> str:
    """`482 913 5570`, as on paper."""
    return f"{reference[:3]} {reference[3:6]} {reference[6:]}"


def spoken_digits(text: str) -> str:
    """`0151 330 1249` -> `0 1 5 1, 3 3 0, 1 2 4 9`: digits one by one, a pause between groups."""
    return ", ".join(" ".join(group) for group in text.split())


class Wording:
    """How one medium writes numbers and says how to reply."""

    def __init__(self, content: AccessibleContent, medium: Medium) -> None:
        self.content, self.medium = content, medium
        facts = content.consultation
        reference, line = grouped_reference(content.reference), phone(facts.phone_line)
        self.reference = spoken_digits(reference) if medium == "audio" else reference
        self.phone = spoken_digits(line) if medium == "audio" else line
        self.copy = "a braille copy" if medium == "braille" else "an audio copy"

    def how_to_reply(self) -> list[Block]:
        facts = self.content.consultation
        blocks: list[Block] = [
            Heading("How to reply"),
            Paragraph(
                "There are no boxes to tick. Each question has a number, and each answer you can choose has a "
                "code. Reply in whichever of these ways suits you, and give your reference, "
                f"{self.reference}, so that we can count your answers."
            ),
            Paragraph(
                f"By phone: ring {self.phone} and press 5 to answer the questions by phone, with your keypad or "
                "your voice; if you stop part-way, the reference you are given lets you carry on later. Or press "
                "4 to speak to an adviser, give your reference, and the adviser will take your answers. If nobody "
                "is free, leave a message and we will ring you back."
            ),
        ]
        if self.content.reply_email:
            blocks.append(
                Paragraph(
                    f"By email: send your answers to {self.content.reply_email}. Put your reference at the top, "
                    "then each question number with your answer."
                )
            )
        writing = "in braille or in print" if self.medium == "braille" else "in print or in braille"
        blocks += [
            Paragraph(
                f"In writing: write your answers {writing}, on any paper. Put your reference at the top, then "
                "each question number with the code of your answer, for example 1a: 2, or your own words. "
                "Post them to this address. You do not need a stamp."
            ),
            Listing(facts.freepost_address),
            Paragraph(f"Online: you can answer the same questions at {facts.online_survey_url}"),
            Paragraph(f"Please reply by {closing_date(facts.closes_on)}."),
        ]
        return blocks


def letter_blocks(content: AccessibleContent, medium: Medium) -> list[Block]:
    """The cover letter: who it is from, the reference and phone line, what the consultation is, how to reply."""
    facts = content.consultation
    wording = Wording(content, medium)
    greeting = f"Dear {content.recipient_name}," if content.recipient_name else "Dear resident,"
    return [
        Heading(facts.organisation),
        Heading(facts.title),
        Listing(
            (
                f"Your reference: {wording.reference}",
                f"Phone: {wording.phone}",
                f"Date: {letter_date(content.letter_date)}",
            )
        ),
        Paragraph(greeting),
        Paragraph(facts.summary),
        Paragraph(
            f"This is {wording.copy} of our survey. The letter comes first, then the questionnaire. You can "
            "answer as many or as few questions as you like."
        ),
        *wording.how_to_reply(),
        Heading("What happens next"),
        Paragraph(facts.after_closing or facts.letter.no_decision_named),
        Paragraph(facts.letter.thank_you),
        Paragraph(facts.organisation),
    ]


def _how_to_answer(question: Question) -> str:
    if question.type == "text":
        return "Answer in your own words."
    if question.type == "multiple":
        return "Give the codes of all the answers that apply."
    return "Give the code of one answer."


def questionnaire_blocks(content: AccessibleContent, medium: Medium) -> list[Block]:
    """The questionnaire from its definition: each question with its number, its options with their codes."""
    questionnaire = content.questionnaire
    wording = Wording(content, medium)
    blocks: list[Block] = [
        NewPage(),
        Heading(questionnaire.title),
        Paragraph(
            f"Your reference: {wording.reference}. For each question you answer, give the question number and "
            "the code of your answer, or your own words."
        ),
    ]
    for section in questionnaire.sections:
        blocks.append(Heading(section.title))
        if section.intro:
            blocks.append(Paragraph(" ".join(section.intro.split())))
        for question in section.questions:
            blocks.append(
                QuestionBlock(
                    number=question.number,
                    text=question.text,
                    help=question.help,
                    how_to_answer=_how_to_answer(question),
                    options=tuple((option.code, option.label) for option in question.options),
                )
            )
    blocks += [
        Heading("End of the questionnaire"),
        Paragraph(f"Thank you. To reply, phone {wording.phone}, or see How to reply in the letter."),
    ]
    return blocks


def document_blocks(content: AccessibleContent, medium: Medium) -> list[Block]:
    """The whole copy: the letter, then the questionnaire on a new page."""
    return letter_blocks(content, medium) + questionnaire_blocks(content, medium)
