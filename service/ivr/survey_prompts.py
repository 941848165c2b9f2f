"""What the phone survey says: each question from the questionnaire definition, with its keypad numbers."""

from __future__ import annotations

from service.ivr.prompts import reference_speech, speakable
from service.ivr.twiml import Pause, Speech
from service.questionnaires.definition import Question, Questionnaire, Section

SECONDS_PER_QUESTION = 30  # a rough guide for the caller, from timing the shipped questionnaire read aloud


def spoken(text: str) -> str:
    """Make definition text read well: `&` as "and", number ranges as "to"."""
    return speakable(text).replace("&", "and").replace("  ", " ")


def offer(questionnaire: Questionnaire) -> Speech:
    total = len(questionnaire.questions)
    minutes = max(1, round(total * SECONDS_PER_QUESTION / 60))
    return [
        f"You can answer the survey now, by phone. It has {total} questions and takes about {minutes} minutes.",
        "To start, press 1. If you started it on an earlier call and have its reference number, press 2. "
        "To go back to the main menu, press 0.",
    ]


ASK_REFERENCE = "Please key in the 10-digit reference number of your survey, then press hash."
REFERENCE_NOT_FOUND = "Sorry, I could not find a survey started with that reference number."
ALREADY_FINISHED = "You have already answered every question of this survey. Thank you for taking part."
FIRST_QUESTION = "This is the first question."
GOING_BACK = "Going back one question."
SKIPPED = "Skipped."
NOT_CAUGHT = "Sorry, I did not catch that. You can press the number of your answer instead."
SPEAK_AFTER_TONE = "Please say your answer after the tone. Press hash when you have finished."
RECORDED = "Thank you."
NO_SPOKEN_ANSWER = "I did not hear an answer."


def started(reference: str) -> Speech:
    return [
        "Your survey reference number is",
        *reference_speech(reference),
        Pause(500),
        "Again, it is",
        *reference_speech(reference),
        Pause(500),
        "If the call ends, ring again, choose the survey, and key this number to carry on where you left off.",
        "For each question, press the number of your answer, or say it.",
        "Press star to hear a question again, hash to skip it, and 0 to go back one question.",
    ]


def resumed(answered: int, total: int) -> str:
    return f"Welcome back. You have answered {answered} of {total} questions. Let's carry on."


def section_intro(section: Section) -> Speech:
    return [f"{spoken(section.title)}.", spoken(section.intro), Pause(400)]


def question_speech(question: Question) -> Speech:
    speech: Speech = [f"Question {question.number}.", spoken(question.text)]
    if question.help:
        speech.append(spoken(question.help))
    speech.append(Pause(300))
    if question.type == "text":
        speech.append("To answer, press 1, or just wait for the tone, then speak. To skip this question, press hash.")
        return speech
    choices = [f"For {spoken(o.label)}, press {n}." for n, o in enumerate(question.options, start=1)]
    speech += choices
    if question.type == "multiple":
        speech.append("Press the number of each answer that applies, one after another, then wait.")
    else:
        speech.append("Or say your answer.")
    return speech


def heard(labels: list[str]) -> str:
    return " and ".join(spoken(label) for label in labels) + "."


def finished(reference: str, spoken_answers: bool) -> Speech:
    speech: Speech = ["Thank you. That was the last question, and your answers are saved."]
    if spoken_answers:
        speech.append("A member of our team will listen to your spoken answers and type them up.")
    return [*speech, "Your survey reference number is", *reference_speech(reference), Pause(400), "Goodbye."]


AFTER_MESSAGE = "While you wait for our call, you can answer the survey now, by phone. To do that, press 1."
