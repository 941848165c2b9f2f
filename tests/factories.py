"""Row factories with sensible defaults, for tests."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from service.auth.passwords import hash_password
from service.consultations.loading import load_consultation
from service.dao.consultations import upsert_consultation
from service.dao.requests import create_request
from service.dao.staff import create_staff
from service.extensions import db
from service.models import Consultation, PaperRequest, PrintFormat, Role, StaffUser
from service.models.consultations import UK
from service.models.types import utcnow
from service.requests.intake import build_new_request

DEFAULT_PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)
_PASSWORD_HASH = hash_password(DEFAULT_PASSWORD)  # hashing once keeps the suite quick


def make_staff(
    role: Role = Role.CALL_HANDLER, username: str | None = None, display_name: str | None = None
) -> StaffUser:
    n = next(_counter)
    username = username or f"{role.value.replace('_', '')}{n}"
    return create_staff(username, display_name or f"Test {role.label} {n}", role, _PASSWORD_HASH)


def make_consultation(slug: str | None = None, *, open_now: bool = True, **values) -> Consultation:
    """A consultation like the shipped one, open today (or closed yesterday)."""
    today = utcnow().astimezone(UK).date()
    seeded = load_consultation("lcr-digital-strategy-2021")
    defaults = {
        "organisation": seeded.organisation,
        "title": values.pop("title", f"Test consultation {next(_counter)}"),
        "summary": seeded.summary,
        "phone_line": seeded.phone_line,
        "online_survey_url": seeded.online_survey_url,
        "opens_on": today - timedelta(days=30),
        "closes_on": today + timedelta(days=30) if open_now else today - timedelta(days=1),
        "questionnaire_file": seeded.questionnaire_file,
        "freepost_address": seeded.freepost_address,
        "is_draft": seeded.is_draft,
        "areas": seeded.areas,
        "area_name": seeded.area_name,
        "area_codes": seeded.area_codes,
        "postcode_file": seeded.postcode_file,
    }
    defaults.update(values)
    return upsert_consultation(slug or f"test-{next(_counter)}", defaults)


def make_request(consultation: Consultation, actor: StaffUser | None = None, **answers) -> PaperRequest:
    fields = {
        "name": "Ada Lovelace",
        "address_line_1": "12 Hope Street",
        "town": "Liverpool",
        "postcode": "L1 9BQ",
        "phone": None,
        "print_format": PrintFormat.STANDARD,
        "copies": 1,
    }
    fields.update(answers)
    details = build_new_request(consultation, now=utcnow(), working_days_allowed=10, **fields)
    inserted = create_request(details, actor.id if actor else None, actor.display_name if actor else "Test")
    return db.session.get_one(PaperRequest, inserted.request_id)


def day(offset: int) -> date:
    return utcnow().astimezone(UK).date() + timedelta(days=offset)


def stored_pack_pdf(pack) -> bytes:
    """The rendered PDF of `pack`, read back from the file store."""
    from service import storage

    assert pack.file_key, f"pack {pack.reference} has no stored PDF"
    return storage.path_for(pack.file_key).read_bytes()
