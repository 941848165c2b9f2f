"""Decide what a newly logged request becomes: late or not, printed here or fulfilled by hand, and where."""

from __future__ import annotations

from datetime import datetime

from service.accessible_formats.tools import formats_made_here
from service.dao.requests import NewRequest
from service.geo.postcode_directory import place_of, unknown_postcode_note
from service.geo.postcodes import parse_postcode
from service.models import MADE_WITH_TOOLS, Consultation, Delivery, PrintFormat, first_status
from service.models.consultations import UK
from service.text import tidy
from service.working_days import add_working_days


def build_new_request(
    consultation: Consultation,
    *,
    now: datetime,
    working_days_allowed: int,
    name: str,
    address_line_1: str,
    address_line_2: str = "",
    address_line_3: str = "",
    town: str,
    postcode: str,
    phone: str | None,
    print_format: PrintFormat,
    language: str = "",
    copies: int = 1,
    notes: str = "",
    duplicate_reason: str = "",
    call_id: int | None = None,
    address_confirmed: bool = True,
    delivery: Delivery = Delivery.POST,
    email: str = "",
) -> NewRequest:
    """Assemble a request from already-validated answers."""
    # A recorded address (phone menu) may come without a postcode; a handler adds it at the address check.
    parsed = parse_postcode(postcode) if postcode or address_confirmed else None
    place = place_of(parsed, consultation.area) if parsed else None
    notes = (notes or "").strip()
    if place and place.unknown:
        # Not refused (new builds are newer than the directory): a handler checks the address first.
        address_confirmed = False
        notes = f"{notes} {unknown_postcode_note(parsed, consultation.area)}".strip()
    manual = not print_format.printed_here
    return NewRequest(
        consultation_id=consultation.id,
        name=tidy(name),
        address_line_1=tidy(address_line_1),
        address_line_2=tidy(address_line_2),
        address_line_3=tidy(address_line_3),
        town=tidy(town),
        postcode=str(parsed) if parsed else "",
        phone=phone,
        format=print_format,
        language=tidy(language) if print_format == PrintFormat.OTHER_LANGUAGE else "",
        copies=copies,
        notes=notes,
        local_authority=place.local_authority if place else None,
        is_late=consultation.has_closed_by(now),
        status=first_status(print_format, address_confirmed, formats_made_here()),
        fulfilment_due_on=add_working_days(now.astimezone(UK).date(), working_days_allowed) if manual else None,
        duplicate_reason=(duplicate_reason or "").strip(),
        call_id=call_id,
        delivery=delivery if print_format in MADE_WITH_TOOLS else Delivery.POST,
        email=email.strip() or None if delivery == Delivery.EMAIL else None,
    )
