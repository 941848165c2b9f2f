"""Every route against one declared table of who may use it: a new route without an entry here fails.

For each route and each role: signed-out visitors are sent to sign in; staff outside the route's role get a
clear 403; staff within it get past the door (whatever the page then says about the made-up ids used here).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from service.models import Role

PUBLIC = "anyone"
SIGNED_IN = "any member of staff"
TWILIO = "Twilio's signed webhooks only"
HANDLER, DATA_ENTRY, SUPERVISOR = Role.CALL_HANDLER, Role.DATA_ENTRY, Role.SUPERVISOR

# Who may use each endpoint. A supervisor may do everything a role may.
ACCESS: dict[str, object] = {
    "static": PUBLIC,
    "healthz.healthz": PUBLIC,
    "home.root": PUBLIC,
    "sign_in.sign_in": PUBLIC,
    # A caller's audio copy, opened by the secret link sent to them (service/download/).
    "download.show": PUBLIC,
    "download.file": PUBLIC,
    "sign_out.sign_out": SIGNED_IN,
    "password.change_password": SIGNED_IN,
    "home.index": SIGNED_IN,
    "ivr.voice": TWILIO,
    "ivr.step": TWILIO,
    "ivr.status": TWILIO,
    "ivr.fallback": TWILIO,
    "ivr.transcription": TWILIO,
    "ivr.text_status": TWILIO,
    "ivr.callback_answered": TWILIO,
    "ivr.callback_connect": TWILIO,
    "ivr.callback_dialled": TWILIO,
    "ivr.callback_status": TWILIO,
    "profile.index": SIGNED_IN,
    "requests.new": HANDLER,
    "requests.index": HANDLER,
    "requests.show": HANDLER,
    "requests.alternative_formats": HANDLER,
    "requests.alternative_format_sent": HANDLER,
    "requests.pack_file": HANDLER,
    "requests.accessible_file": HANDLER,
    "requests.retry": SUPERVISOR,
    "requests.reprint": SUPERVISOR,
    "requests.correct": HANDLER,
    "requests.cancel": HANDLER,
    "requests.send_text": HANDLER,
    "address_checks.index": HANDLER,
    "address_checks.check": HANDLER,
    "address_checks.cannot_confirm": HANDLER,
    "calls.index": HANDLER,
    "calls.new": HANDLER,
    "calls.callbacks": HANDLER,
    "calls.callback_done": HANDLER,
    "calls.call_back": HANDLER,
    "returns.index": DATA_ENTRY,
    "returns.show": DATA_ENTRY,
    "returns.progress": DATA_ENTRY,
    "returns.receive": DATA_ENTRY,
    "returns.receive_unreferenced": DATA_ENTRY,
    "returns.find_to_key": DATA_ENTRY,
    "returns.key": DATA_ENTRY,
    "scans.index": DATA_ENTRY,
    "scans.upload": DATA_ENTRY,
    "scans.show": DATA_ENTRY,
    "scans.progress": DATA_ENTRY,
    "scans.read_again": DATA_ENTRY,
    "scans.page_image": DATA_ENTRY,
    "scans.mark_image": DATA_ENTRY,
    "scans.to_place": DATA_ENTRY,
    "scans.place": DATA_ENTRY,
    "scans.discard": SUPERVISOR,
    "scans.verify_next": DATA_ENTRY,
    "scans.verify": DATA_ENTRY,
    "scans.save_verification": DATA_ENTRY,
    "scans.return_pages": DATA_ENTRY,
    "scans.finish_without_missing": DATA_ENTRY,
    "phone_responses.index": DATA_ENTRY,
    "phone_responses.check": DATA_ENTRY,
    "returns.keying_modes": SUPERVISOR,
    "returns.keying_mode": SUPERVISOR,
    "returns.adjudicate_return": SUPERVISOR,
    "returns.export": SUPERVISOR,
    "returns.export_file": SUPERVISOR,
    "print_batches.index": SUPERVISOR,
    "print_batches.show": SUPERVISOR,
    "print_batches.progress": SUPERVISOR,
    "print_batches.download_pdf": SUPERVISOR,
    "print_batches.download_manifest": SUPERVISOR,
    "print_batches.download_files": SUPERVISOR,
    "print_batches.sent_to_print": SUPERVISOR,
    "print_batches.confirm_sent_to_print": SUPERVISOR,
    "print_batches.undo_sent_to_print": SUPERVISOR,
    "print_batches.confirm_posted": SUPERVISOR,
    "print_batches.confirm_cancel": SUPERVISOR,
    "print_batches.posted": SUPERVISOR,
    "print_batches.cancel": SUPERVISOR,
    "print_batches.run_now": SUPERVISOR,
    "print_batches.blank_packs": SUPERVISOR,
    "jobs.index": SUPERVISOR,
    "jobs.retry": SUPERVISOR,
    "dashboard.index": SUPERVISOR,
    "dashboard.show": SUPERVISOR,
    "dashboard.report": SUPERVISOR,
    "personal_data.search": SUPERVISOR,
    "personal_data.show": SUPERVISOR,
    "personal_data.export": SUPERVISOR,
    "personal_data.export_page": SUPERVISOR,
    "personal_data.decide": SUPERVISOR,
    "personal_data.erase": SUPERVISOR,
    "personal_data.confirm_erase": SUPERVISOR,
    "audit.index": SUPERVISOR,
    "audit.download": SUPERVISOR,
    "staff.index": SUPERVISOR,
    "staff.confirm_unlock": SUPERVISOR,
    "staff.unlock_account": SUPERVISOR,
    "staff.confirm_sign_out_everywhere": SUPERVISOR,
    "staff.sign_out_everywhere_account": SUPERVISOR,
}

# Values for the variable parts of URLs: ids that do not exist, names that do.
URL_VALUES = {
    "int": "999999",
    "queue_name": "packs",
    "report": "packs",
    "file_format": "csv",
    "name": "welcome",
    "extension": "brf",
}
NOT_SIGNED_IN = "signed out"


def routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route the app has."""
    found = []
    for rule in app.url_map.iter_rules():
        url = rule.rule
        for converter, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule):
            value = URL_VALUES.get(converter) or URL_VALUES.get(name, "x")
            url = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", value, url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, url))
    return found


def test_every_route_has_a_declared_role(app):
    undeclared = sorted({endpoint for endpoint, _, _ in routes(app)} - set(ACCESS))
    assert undeclared == [], f"Add these to ACCESS in {__file__}: {undeclared}"
    assert sorted(set(ACCESS) - {endpoint for endpoint, _, _ in routes(app)}) == []  # no stale entries


def allowed(access: object, who: object) -> bool:
    if access == PUBLIC:
        return True
    if access == TWILIO or who == NOT_SIGNED_IN:
        return False
    return access == SIGNED_IN or who in (SUPERVISOR, access)


@pytest.mark.parametrize("who", [NOT_SIGNED_IN, HANDLER, DATA_ENTRY, SUPERVISOR], ids=str)
def test_every_route_lets_in_exactly_the_roles_declared(app, client, staff, monkeypatch, who):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # the door is the role check, not the form key
    if who != NOT_SIGNED_IN:
        staff.sign_in(who)
    wrong = []
    for endpoint, method, url in routes(app):
        access = ACCESS[endpoint]
        if endpoint == "sign_out.sign_out" and who != NOT_SIGNED_IN:
            continue  # would end this client's session; signed out, it is checked below like the rest
        response = client.open(url, method=method)
        sent_to_sign_in = response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
        if access == PUBLIC:
            ok = response.status_code not in (401, 403) and response.status_code < 500  # `/` may send you on
        elif allowed(access, who):
            ok = response.status_code != 403 and not sent_to_sign_in and response.status_code < 500
        elif access == TWILIO:
            ok = response.status_code == 403  # unsigned: refused whoever is signed in
        elif who == NOT_SIGNED_IN:
            ok = sent_to_sign_in
        else:
            ok = response.status_code == 403 and "You do not have access to this page" in response.get_data(True)
        if not ok:
            wrong.append(f"{method} {url} ({endpoint}, {access}): {response.status_code}")
    assert wrong == []
