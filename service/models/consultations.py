"""A consultation is data: its facts here, its questionnaire in a definition file under pdf_templates/."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column

from service.extensions import Model
from service.geo.postcode_directory import Area
from service.models.types import UK, UTCDateTime, enum_type, utcnow

__all__ = ["UK", "Consultation", "KeyingMode"]


class KeyingMode(enum.StrEnum):
    """How returned forms are keyed: every one twice, or once with a sample keyed again."""

    DOUBLE = "double"
    SINGLE = "single"

    @property
    def label(self) -> str:
        return {"double": "Double entry", "single": "Single entry with a verification sample"}[self.value]


class Consultation(Model):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    organisation: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    phone_line: Mapped[str] = mapped_column(String(20), index=True)  # E.164, matched against Twilio's `To`
    online_survey_url: Mapped[str] = mapped_column(String(500))
    # Who texts with the reference come from: a Twilio number able to send texts (E.164) or an alphanumeric
    # sender ID ("LCRCA"). None: the consultation offers no texts.
    text_sender: Mapped[str | None] = mapped_column(String(20))
    opens_on: Mapped[date]
    closes_on: Mapped[date]  # the last day on which responses are accepted
    questionnaire_file: Mapped[str] = mapped_column(String(200))  # relative to pdf_templates/
    freepost_address: Mapped[str] = mapped_column(Text, default="")
    after_closing: Mapped[str] = mapped_column(Text, default="")  # what happens next; may say {decision_month}
    decision_on: Mapped[date | None]  # when the decision is due: fills {decision_month} in `after_closing`
    # After closing: replies reaching us by this day are still read (None: they are passed on, not promised).
    late_replies_until: Mapped[date | None]
    # False: a request after the closing date is refused (the consultation takes no late replies).
    takes_late_replies: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    is_demo: Mapped[bool] = mapped_column(default=False)
    # A draft put out for consultation: the cover letter's heading says "Draft <title>".
    is_draft: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # The local authorities the consultation serves, as the postcode lookup names them: the dashboard counts
    # requests by each and the rest together as "Outside <area_name>". Empty: it serves wherever callers are.
    areas: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    area_name: Mapped[str] = mapped_column(String(100), default="the area", server_default="the area")
    # The same authorities by their ONS code ("E08000012" -> "Liverpool"), and the extract of the ONS Postcode
    # Directory that says which of them a postcode is in (relative to pdf_templates/; "" without an area).
    area_codes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    postcode_file: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The cover letter's sentences this consultation rewords (service/packs/letter_text.py); {} for the defaults.
    letter_text: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    keying_mode: Mapped[KeyingMode] = mapped_column(
        enum_type(KeyingMode), default=KeyingMode.DOUBLE, server_default=KeyingMode.DOUBLE.value
    )
    verification_sample_percent: Mapped[int] = mapped_column(default=10, server_default="10")  # single entry only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def is_open_on(self, day: date) -> bool:
        """Say whether the consultation accepts responses on `day`."""
        return self.opens_on <= day <= self.closes_on

    def has_closed_by(self, moment: datetime) -> bool:
        """Say whether `moment` falls after the closing date, judged in UK time."""
        return moment.astimezone(UK).date() > self.closes_on

    def refuses_requests_on(self, moment: datetime) -> bool:
        """Say whether a paper-copy request made at `moment` is refused: closed, and no late replies taken."""
        return self.has_closed_by(moment) and not self.takes_late_replies

    def serves(self, local_authority: str | None) -> bool:
        """Say whether an address in `local_authority` (None: not known) is in the area this consultation serves."""
        if not self.areas:
            return local_authority is not None
        return local_authority in self.areas

    @property
    def area(self) -> Area:
        """The area postcodes are looked up in: its authorities and their directory extract."""
        return Area(self.area_codes or {}, self.postcode_file or "")

    @property
    def outside_label(self) -> str:
        """How an address outside the area is named on screen and in reports ("Outside the city region")."""
        return f"Outside {self.area_name}"

    @property
    def display_name(self) -> str:
        return f"{self.title} (demonstration)" if self.is_demo else self.title
