"""Erasure, start to end: one path for a supervisor's erasure and for the retention schedule.

The data layer blanks the rows, cancels the print batches not yet sent and says which files hold the person;
this deletes those files from the store once the change is committed (a file deleted first, then a failed
commit, would leave rows pointing at nothing), with any temporary file still being written beside them.
"""

from __future__ import annotations

from datetime import datetime

from service import storage
from service.dao.privacy import (
    KEPT,
    WHY_KEPT,
    Erasure,
    ErasureRecord,
    erase_callers,
    erase_consultation_personal_data,
    erasure_record,
)
from service.dao.scans import discard_unplaced_page, release_unplaced_scans
from service.models import Caller, Consultation
from service.templating import uk_time
from service.words import plural


def _delete_files(erasure: Erasure) -> Erasure:
    for key in sorted(erasure.files):
        storage.delete_with_temporary_files(key)
    return erasure


def erase_person(callers: Caller | list[Caller], actor_id: int | None, actor_label: str, reason: str) -> Erasure:
    """A supervisor erases one person's data: each record confirmed as theirs (see service/dao/privacy.py
    `_erase` for what that covers)."""
    callers = callers if isinstance(callers, list) else [callers]
    return _delete_files(erase_callers(callers, actor_id, actor_label, reason))


def erase_past_retention(consultation: Consultation) -> int:
    """The retention schedule erases every caller of a long-closed consultation, by the same steps."""
    count, erasure = erase_consultation_personal_data(consultation)
    _delete_files(erasure)
    return count


def release_old_scans(scanned_before: datetime) -> int:
    """The retention schedule deletes the images of scanned pages never placed, and uploads never read,
    scanned before the cut-off; returns how many files went."""
    keys = release_unplaced_scans(scanned_before)
    for key in sorted(keys):
        storage.delete_with_temporary_files(key)
    return len(keys)


def discard_page(page_id: int, reason: str, actor_id: int) -> bool:
    """A supervisor deletes a page nobody could place (see DISCARD_REASONS); False if it was placed meanwhile."""
    key = discard_unplaced_page(page_id, reason, actor_id)
    if key is None:
        return False
    storage.delete_with_temporary_files(key)
    return True


def erased_notice(caller: Caller) -> str | None:
    """ "Personal data erased on 3 March 2026 by S. Supervisor", for any screen or command that meets it."""
    record = erasure_record(caller)
    if record is None:
        return None
    return f"Personal data erased on {uk_time(record.at, '%-d %B %Y')} by {record.by}"


def what_was_done(record: ErasureRecord) -> list[str]:
    """What an erasure did with print batches and requests, and what it kept and why, in plain words."""
    details = record.details
    lines = []
    for batch_id in details.get("batches_cancelled") or []:
        lines.append(
            f"Batch {batch_id} was not yet sent to print: it was cancelled and its print file deleted, and its other "
            "packs go in the next print run (a cancelled batch cannot be mistaken for one to print, as a rebuilt "
            "one could). Do not print a copy of it downloaded earlier."
        )
    for batch_id in details.get("print_files_deleted") or []:
        lines.append(
            f"Batch {batch_id} had already been sent to print: its print file was deleted, as it is no longer "
            f"needed. Kept: {KEPT}, {WHY_KEPT}."
        )
    requests = details.get("requests_cancelled") or []
    if requests:
        lines.append(
            f"{plural(len(requests), 'request')} not yet posted cancelled: with no name or address "
            f"{'it' if len(requests) == 1 else 'they'} cannot be sent."
        )
    if details.get("fields"):
        lines.append(f"Erased: {', '.join(details['fields'])}.")
    return lines
