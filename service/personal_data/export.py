"""Subject access: one file per person, every record of theirs and every audit entry about them."""

from __future__ import annotations

from typing import Any

from service.audit.sentences import describe, names_for, who
from service.dao.privacy import audit_entries_about, person_records
from service.models import Caller
from service.models.types import utcnow


def person_export(callers: list[Caller]) -> dict[str, Any]:
    """The export, as data: the JSON file is this, and the readable page is made from it."""
    events = audit_entries_about(callers)
    names = names_for(events)
    return {
        "exported_at": utcnow().isoformat(),
        "records": person_records(callers),
        # Each entry as the audit trail screen says it: who, and what, in a sentence (no codes).
        "audit_trail": [{"at": e.at.isoformat(), "by": who(e), "what": describe(e, names)} for e in events],
    }
