"""Each audit entry reads as one plain sentence: no codes, no Python lists or dicts, nothing personal."""

from __future__ import annotations

import re

import pytest

from service.audit.sentences import SENTENCES, Names, describe, who
from service.dao.audit import PERSONAL_KEYS, record_audit
from service.labels import ACTIONS, RECORDS
from service.models import AuditEvent, AuditEventObject

NAMES = Names(references={17: "4829135570"}, usernames={3: "jsmith"}, consultations={2: "Digital strategy"})
NOT_WORDS = re.compile(r"\b[a-z_]+\.[a-z_]+\b|[\[\]{}]|\b\w+_\w+\b|None")


def entry(action: str, entity_type: str = "", entity_id: int | None = None, **details) -> AuditEvent:
    return AuditEvent(action=action, entity_type=entity_type, entity_id=entity_id, details=details)


@pytest.mark.parametrize(
    ("event", "sentence"),
    [
        (
            entry("privacy.erased", "caller", 812, fields=["name", "address"], reason="They asked us to"),
            "Erased personal data of caller 812: name, address. Reason: They asked us to",
        ),
        (
            entry(
                "privacy.erased",
                "caller",
                812,
                fields=["name", "address", "phone", "recorded message"],
                requests_cancelled=[17],
                batches_cancelled=[12, 13],
                print_files_deleted=[4],
            ),
            "Erased personal data of caller 812: name, address, phone number, recorded message; cancelled request "
            "482 913 5570; cancelled print batches 12, 13 (the other packs wait for the next print run); deleted "
            "the print file of print batch 4",
        ),
        (
            entry("retention.erased", "consultation", 2, callers=40, recordings=3),
            "Erased the personal data of 40 callers of Digital strategy after the retention period (3 recordings)",
        ),
        (
            entry("staff.sign_in_failed", "staff_user", 3, source_address="203.0.113.7"),
            "1 failed sign-in attempt on account jsmith from 203.0.113.7",
        ),
        (
            entry("staff.sign_in_failed", "staff_user", 3, attempts=3, source_address="203.0.113.7"),
            "3 failed sign-in attempts on account jsmith from 203.0.113.7",
        ),
        (
            entry("staff.sign_in_failed", "staff_user", None, source_address="2001:db8::1", limited=True),
            "1 failed sign-in attempt on an unknown username from 2001:db8::1 (stopped by the sign-in limits: the "
            "password was not checked)",
        ),
        (entry("staff.signed_in", "staff_user", 3, source_address="198.51.100.2"), "Signed in from 198.51.100.2"),
        (
            entry("request.created", "request", 17, format="large_print", copies=2, duplicate=True, late=False),
            "Logged request 482 913 5570: Large print, 2 copies, a repeat request",
        ),
        (
            entry("request.status_changed", "request", 17, from_status="pack_ready", to_status="in_print_batch"),
            "Changed the status of request 482 913 5570 from Pack ready to print to In a print batch",
        ),
        (entry("request.corrected", "request", 99, changed="name,postcode"), "Corrected request 99: name, postcode"),
        (
            entry("print_batch.posted", "print_batch", 12, posted_on="2026-03-03", requests=400),
            "Marked print batch 12 as posted on 3 March 2026 (400 requests)",
        ),
        (entry("print_run.done", batches=0, packs=0), "Ran a print run: nothing was ready to print"),
        (
            entry("privacy.viewed", "caller", 812, records=[812, 900]),
            "Viewed the personal data of caller 812, with linked caller 900",
        ),
        (
            entry("privacy.linked", "caller", 812, other=900, evidence="same phone number"),
            "Confirmed that caller 812 and caller 900 are the same person (same phone number)",
        ),
        (
            entry("privacy.searched", fields=["name", "postcode"], found=3),
            "Searched personal data by name, postcode: 3 people found",
        ),
        (
            entry("return.adjudicated", "return", 5, decisions={"q1": "entry_1", "q2": "typed"}),
            "Settled the disagreements of return R5: 2 decisions",
        ),
        (entry("packs.blank_created", "consultation", 2, count=50), "Made 50 blank packs for Digital strategy"),
        # An action the trail has no sentence for yet still reads as words.
        (entry("staff.renamed", "staff_user", 3, role="supervisor"), "Renamed: account jsmith (Role: Supervisor)"),
    ],
)
def test_entries_read_as_sentences(event, sentence):
    assert describe(event, NAMES) == sentence


def test_a_print_run_names_its_batches_and_counts():
    event = entry("print_run.done", batches=2, packs=400)
    event.objects = [AuditEventObject(entity_type="print_batch", entity_id=n) for n in (12, 13)]
    assert describe(event, NAMES) == "Ran a print run: 2 print batches (12, 13), 400 packs"


def test_every_action_reads_as_words_with_any_record(app_ctx):
    for action in ACTIONS:
        for entity_type in ["", *RECORDS]:
            text = describe(entry(action, entity_type, 7 if entity_type else None), Names())
            assert text and not NOT_WORDS.search(text), (action, entity_type, text)
    assert set(SENTENCES) >= set(ACTIONS) - {"print_batch.created"}  # no longer written: a print run is one entry


def test_a_failed_sign_in_is_never_shown_as_done_by_the_accounts_owner():
    event = entry("staff.sign_in_failed", "staff_user", 3)
    from service.models import StaffUser

    event.actor = StaffUser(username="jsmith", display_name="Jo Smith")  # as entries before this change were
    assert who(event) == "Someone not signed in"


@pytest.mark.parametrize("key", sorted(PERSONAL_KEYS))
def test_personal_values_are_refused_at_the_door(app_ctx, key):
    with pytest.raises(ValueError, match="personal"):
        record_audit(None, "request.corrected", "request", 1, **{key: "Ada Lovelace"})


def test_no_caller_of_record_audit_passes_a_personal_value():
    """Checked in the source as well as at run time: a detail named like a personal field is never written."""
    from tests.test_labels import audit_calls

    passed = {k.arg for call in audit_calls() for k in call.keywords if k.arg}
    assert passed and not passed & PERSONAL_KEYS
