"""Who may be texted: the one rule for the phone menu's offer and the handler's button (checked at the door)."""

from __future__ import annotations

from service.dao.texts import text_of_request
from service.geo.phones import is_uk_mobile
from service.models import PaperRequest
from service.texts.body import reference_text_body
from service.twilio_rest import rest_is_set_up


def text_body_for(request: PaperRequest) -> str | None:
    """The text for this request's first reference, or None if the consultation's wording cannot fit one."""
    consultation = request.consultation
    reference = request.first_reference
    if reference is None:
        return None
    return reference_text_body(
        reference, consultation.online_survey_url, consultation.closes_on, consultation.organisation
    )


def why_no_text(request: PaperRequest) -> str | None:
    """Why this request's caller cannot be texted the reference, in words for staff; None if they can."""
    if not rest_is_set_up() or not request.consultation.text_sender:
        return "Texts are not set up for this consultation (a Twilio account and a text sender are needed)."
    phone = request.caller.phone if request.caller else None
    if not phone:
        return "The caller gave no phone number, so there is nothing to text."
    if not is_uk_mobile(phone):
        return "The caller's number is not a UK mobile (a landline cannot take a text), so no text can be sent."
    if text_body_for(request) is None:
        return "The online survey's address is too long for one text message."
    if text_of_request(request.id) is not None:
        return "A text with the reference has already been sent for this request; it is sent only once."
    return None


def may_offer_text(request: PaperRequest) -> bool:
    return why_no_text(request) is None
