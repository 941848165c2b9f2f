"""Staff read words, not codes: every audit action, record and field has a label, used on every screen."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from service.labels import ACTIONS, FIELDS, RECORDS, details_label
from service.models import Role
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request
from workers.jobs import build_print_batch, print_run, render_request_packs

SERVICE = Path(__file__).resolve().parent.parent / "service"


def audit_calls() -> list[ast.Call]:
    """Every record_audit(...) call in the service, and the `_audit` helpers that wrap it."""
    calls = []
    for path in SERVICE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("record_audit", "_audit"):
                calls.append(node)
    return calls


def literal_strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_every_audited_action_record_and_detail_has_a_label():
    actions, records, fields = set(), set(), set()
    for call in audit_calls():
        actions |= {s for arg in call.args for s in literal_strings(arg) if re.fullmatch(r"[a-z_]+\.[a-z_]+", s)}
        records |= {arg.value for arg in call.args[2:3] if isinstance(arg, ast.Constant)}
        fields |= {k.arg for k in call.keywords if k.arg and k.arg != "also"}  # `also` names records, not details
    # Actions chosen in a variable are literals elsewhere in the same module (consultation.created/updated).
    for path in (SERVICE / "dao" / "consultations.py", SERVICE / "personal_data" / "routes.py"):
        actions |= {s for s in literal_strings(ast.parse(path.read_text())) if re.fullmatch(r"[a-z_]+\.[a-z_]+", s)}
    prefixes = {k.split(".")[0] for k in ACTIONS}
    actions = {a for a in actions if a.split(".")[0] in prefixes or a.endswith(("ed", "_done", "_set"))}
    assert actions and actions - set(ACTIONS) == set()
    assert records and records - set(RECORDS) == set()
    assert fields and fields - set(FIELDS) == set()


def test_details_read_as_words():
    assert details_label({"from_status": "keyed_once", "to_status": "in_dispute"}, "return") == (
        "From: Keyed once; To: In dispute"
    )
    assert details_label({"changed": ["address_line_2", "postcode"], "late": False}) == (
        "Changed: address line 2, postcode; Late: no"
    )


def test_the_audit_trail_and_a_batchs_history_show_labels_not_codes(app, client, staff, file_store):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        request_id = make_request(make_consultation(), name="Ada Lovelace").id
        render_request_packs(request_id)
        (batch_id,) = print_run()
        build_print_batch(batch_id)
    token = csrf_token(client, f"/print-batches/{batch_id}/sent-to-print")
    client.post(f"/print-batches/{batch_id}/sent-to-print", data={"csrf_token": token})
    trail = client.get("/audit").get_data(as_text=True)
    assert f"Marked print batch {batch_id} as sent to print (1 request)" in trail and "Print batch " in trail
    assert "print_batch" not in trail and "sent_to_print" not in trail
    page = client.get(f"/requests/{request_id}").get_data(as_text=True)
    # The request's page shows its batch's entry (one for the whole batch), worded the same way.
    assert f"Marked print batch {batch_id} as sent to print" in page and "print_batch" not in page


def test_reprint_without_a_reason_is_explained_beside_the_field(app, client, staff, file_store):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        from service.dao.printing import get_batch, mark_batch_posted, mark_batch_sent_to_print
        from service.models.types import utcnow

        request_id = make_request(make_consultation(), name="Ada Lovelace").id
        render_request_packs(request_id)
        (batch_id,) = print_run()
        build_print_batch(batch_id)
        mark_batch_sent_to_print(get_batch(batch_id), None, "Test")
        mark_batch_posted(get_batch(batch_id), utcnow().date(), None, "Test")
    token = csrf_token(client, f"/requests/{request_id}")
    page = client.post(f"/requests/{request_id}/reprint", data={"csrf_token": token, "reason": " "})
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and body.count("Enter why the pack is being reprinted") == 2  # summary and field
    assert re.search(r'id="reason-error"', body) and 'aria-invalid="true"' in body and 'href="#reason"' in body
