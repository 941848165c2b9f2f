"""Everything the phone menu says: short, plain British English, from the consultation's own facts."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from service.ivr.twiml import Chars, Digits, Pause, Speech
from service.models import Consultation, PrintFormat

_NUMBER_RANGE = re.compile(r"(\d)\s*[-–]\s*(\d)")
_URL_PIECES = re.compile(r"[a-z]+|\d+|.", re.IGNORECASE)
_SYMBOLS = {".": "dot", "/": "slash", "-": "dash", "_": "underscore", "?": "question mark", "=": "equals", "&": "and"}
KEY_NAMES = {"*": "star", "#": "hash"}


def speakable(text: str) -> str:
    """Make a title read well aloud: `2021-2023` -> `2021 to 2023`."""
    return _NUMBER_RANGE.sub(r"\1 to \2", text)


def spoken_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def spelled_url(url: str) -> Speech:
    """Spell a web address slowly: letters and digits one by one, symbols by name, a pause between pieces."""
    parts = urlsplit(url)
    text = parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")
    speech: Speech = []
    for piece in _URL_PIECES.findall(text):
        speech.append(Chars(piece) if piece.isalnum() else _SYMBOLS.get(piece, piece))
        speech.append(Pause(300))
    return speech


def postcode_speech(postcode: str) -> Speech:
    outward, _, inward = postcode.partition(" ")
    return [Chars(outward), Pause(400), Chars(inward)]


def reference_speech(reference: str) -> Speech:
    return [Digits(reference[:3]), Pause(500), Digits(reference[3:6]), Pause(500), Digits(reference[6:])]


def welcome(consultation: Consultation) -> Speech:
    return [f"Welcome to {consultation.organisation}. This line is about the {speakable(consultation.title)}."]


def choose_consultation(consultations: list[Consultation]) -> Speech:
    choices = [f"For the {speakable(c.title)}, press {n}." for n, c in enumerate(consultations, start=1)]
    return ["There is more than one consultation on this line.", *choices]


MAIN_MENU = (
    "To ask for a paper copy posted to you, press 1. "
    "To hear how to respond online, and the closing date, press 2. "
    "For large print, braille, audio, easy read or another language, press 3. "
    "To speak to an adviser, press 4. "
    "To answer the survey now, by phone, press 5. "
    "To hear these choices again, press star."
)
FORMAT_MENU = (
    "For large print, press 1. For braille, press 2. For audio, press 3. For easy read, press 4. "
    "For another language, press 5. To go back, press 0. To hear these choices again, press star."
)
# Audio to a caller on a UK mobile, when texts are set up: posted, or a download link texted to that mobile.
AUDIO_DELIVERY = (
    "We can post your audio copy to you on a CD or a USB stick, or text a link to this mobile, so that you can "
    "listen as soon as it is made. To have it posted, press 1. To have a link texted to this mobile, press 2. "
    "To hear these choices again, press star."
)
FORMAT_KEYS = {
    "1": PrintFormat.LARGE_PRINT,
    "2": PrintFormat.BRAILLE,
    "3": PrintFormat.AUDIO,
    "4": PrintFormat.EASY_READ,
    "5": PrintFormat.OTHER_LANGUAGE,
}


def closed(consultation: Consultation) -> Speech:
    return [
        f"The {speakable(consultation.title)} closed on {spoken_date(consultation.closes_on)}.",
        "We can no longer send paper copies.",
        "To speak to an adviser, press 1. To hear this again, press star.",
    ]


def respond_online(consultation: Consultation) -> Speech:
    return [
        "You can respond online. The web address is:",
        Pause(500),
        *spelled_url(consultation.online_survey_url),
        Pause(500),
        f"The consultation closes on {spoken_date(consultation.closes_on)}.",
    ]


ASK_LANGUAGE = "Please say the language you need."
ASK_NAME = "Please say your full name, as you would like it written on the envelope."
ASK_POSTCODE = "Please say your postcode."
ASK_HOUSE = (
    "Please key in your house or flat number, then press hash. If your house has a name and no number, say the name."
)
ASK_STREET = "Please say the name of your street."
ASK_TOWN = "Please say your town or city."
ASK_PRINT_SIZE = "For standard print, press 1. For large print, press 2."
POSTCODE_NOT_HEARD = "Sorry, I could not make out a postcode."
TRY_AGAIN = "Let's try again."
ASK_ADDRESS_RECORDING = (
    "Sorry, I could not get your address. Instead, please say your full address, with your postcode, "
    "after the tone. Press hash when you have finished."
)
ADDRESS_RECORDED = "Thank you. A member of our team will listen to your address and check it."
NO_RECORDING = "I did not hear anything."


def postcode_check(postcode: str) -> Speech:
    return ["I heard", *postcode_speech(postcode), Pause(300), "If that is right, press 1. If not, press 2."]


def address_check(lines: list[str], postcode: str | None) -> Speech:
    speech: Speech = ["I have your address as:"]
    for line in lines:
        speech += [line, Pause(300)]
    if postcode:
        speech += postcode_speech(postcode)
    return [*speech, Pause(300), "If that is right, press 1. If not, press 2."]


def request_made(
    reference: str,
    print_format: PrintFormat,
    needs_check: bool,
    working_days: int,
    offer_text: bool = False,
    link_by_text: bool = False,
) -> Speech:
    if link_by_text and not needs_check:
        next_step = (
            "We will text a link to your audio copy to this mobile as soon as it is made, usually within minutes."
        )
    elif needs_check:
        next_step = "Before we post it, a member of our team will check your address."
    elif print_format.printed_here:
        next_step = f"We will post your {print_format.label.lower()} copy to you soon."
    else:
        next_step = f"We will send it within {working_days} working days."
    return [
        f"Thank you. Your request is made. {next_step}",
        "Your reference number is",
        *reference_speech(reference),
        Pause(700),
        "Again, your reference number is",
        *reference_speech(reference),
        Pause(500),
        *reference_choices(offer_text),
    ]


def reference_choices(offer_text: bool) -> Speech:
    if offer_text:
        return [
            "To hear it again, press 1. To have it sent to your mobile in a text message, with the web address to "
            "respond online, press 2. Or you can hang up now."
        ]
    return ["To hear it again, press 1. Or you can hang up now."]


def text_coming(last_digits: str) -> Speech:
    return ["Thank you. We will text your reference number to your mobile, ending", Digits(last_digits), ", shortly."]


TEXT_ALREADY = "We have already sent your reference to your mobile in a text message."


def wrong_key(key: str) -> str:
    if key not in "0123456789*#" or not key:  # only a keypad key is named back (never a stray character)
        return "That is not one of the choices."
    return f"You pressed {KEY_NAMES.get(key, key)}. That is not one of the choices."


NOT_HEARD = "Sorry, I did not hear anything."
OFFER_ADVISER = "If you would like to speak to an adviser, press 1."
GOODBYE = "Thank you for calling. Goodbye."
CONNECTING = "Putting you through to an adviser. Please hold."
ADVISER_BUSY = "Sorry, no adviser is free right now."
LEAVE_MESSAGE = (
    "Please leave a message after the tone. Say your name, a phone number we can call you on, and how we can help. "
    "Press hash when you have finished."
)
MESSAGE_SAVED = "Thank you. We have your message, and an adviser will call you back."
SORRY = "Sorry, something went wrong on our side. Please call again later. Goodbye."
NOT_IN_USE = "Sorry, this number is not taking calls about a consultation at the moment. Goodbye."


def out_of_hours(hours: str) -> str:
    return f"Our advisers are available {hours}." if hours else "No adviser is available right now."
