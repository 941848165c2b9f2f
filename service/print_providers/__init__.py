"""Print providers: who prints and posts the packs the service prints on paper.

PRINT_PROVIDER names one module of this package, and this is the only place that reads it:

- `local` (the default): every pack goes into the print files a print run makes for the print house;
- `notify`: each pack GOV.UK Notify takes is sent to its precompiled-letter API as soon as it is ready.

Whatever the provider does not take (braille, audio, packs longer than it takes) still goes into the print
run's files. Adding a provider (say a print house's SFTP drop) is one new module here defining `PROVIDER`, a
class that follows `PrintProvider`, and its name in PRINT_PROVIDER; nothing else changes. Each pack records the
provider that has it, so a letter already sent is followed up by its own provider whatever the setting says.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from flask import Flask, current_app

from service.models import PrintFormat


@dataclass(frozen=True)
class Sent:
    """What a provider said when it took a pack: its own reference for the letter, and the letter's status."""

    reference: str
    status: str


class PrintProvider(Protocol):
    """Prints and posts packs itself, one at a time, as they are ready."""

    name: ClassVar[str]  # its module's name: the PRINT_PROVIDER value, stored on each pack it has
    label: ClassVar[str]  # how a request's history and page name it ("GOV.UK Notify")
    max_pages: int | None  # the most pages of one pack it takes; None: it takes none itself
    posted_statuses: ClassVar[frozenset[str]]  # its statuses meaning printed and handed to the post
    failed_statuses: ClassVar[frozenset[str]]  # its statuses meaning it will never post the letter

    def __init__(self, config: Mapping[str, Any]) -> None: ...

    def send(self, pack_reference: str, print_round: int, pdf: bytes) -> Sent:
        """Hand over one pack's PDF (the address shows in its window); no personal data beside it."""
        ...

    def status(self, provider_reference: str) -> str | None:
        """The letter's status now, or None when the provider cannot say at the moment."""
        ...


def available() -> list[str]:
    """The provider names PRINT_PROVIDER may take: the modules of this package."""
    return sorted(module.name for module in pkgutil.iter_modules(__path__))


def provider_class(name: str) -> type[PrintProvider]:
    """The provider called `name`; an unknown name is refused, naming the ones there are."""
    if name not in available():
        raise ValueError(f"PRINT_PROVIDER {name!r} is not one of {', '.join(available())}")
    provider: type[PrintProvider] = importlib.import_module(f"{__name__}.{name}").PROVIDER
    return provider


def print_provider() -> PrintProvider:
    """The provider PRINT_PROVIDER chooses, with its settings."""
    return provider_class(current_app.config["PRINT_PROVIDER"])(current_app.config)


def provider_of_pack(name: str) -> PrintProvider:
    """The provider that has a pack (the one named on it, whatever PRINT_PROVIDER says now)."""
    return provider_class(name)(current_app.config)


def takes(provider: PrintProvider, print_format: PrintFormat, page_counts: Iterable[int | None]) -> bool:
    """Whether `provider` prints and posts a request's copies itself: printed on paper, none too long."""
    limit = provider.max_pages
    return limit is not None and print_format.printed_here and all(n and n <= limit for n in page_counts)


def init_app(app: Flask) -> None:
    # Checked at start-up: a misspelt provider or a missing setting stops the service, not the first letter.
    provider_class(app.config["PRINT_PROVIDER"])(app.config)
    app.jinja_env.globals["print_provider_label"] = lambda name: provider_class(name).label
