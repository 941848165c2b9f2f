"""Every response that can hold personal data is `Cache-Control: no-store`: every page and download a
signed-in member of staff can open (only the static files may be cached)."""

from __future__ import annotations

from service.models import Role
from tests.factories import make_consultation, make_request
from tests.test_permissions import routes
from workers.jobs import build_print_batch, print_run, render_request_packs


def test_every_route_answers_no_store_to_a_signed_in_supervisor(app, client, staff, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    staff.sign_in(Role.SUPERVISOR)
    wrong = []
    for endpoint, method, url in routes(app):
        if endpoint in ("static", "sign_out.sign_out"):
            continue
        response = client.open(url, method=method)
        if response.headers.get("Cache-Control") != "no-store":
            wrong.append(f"{method} {url}: {response.status_code} {response.headers.get('Cache-Control')}")
    assert wrong == []
    static = client.get("/static/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_the_batch_print_file_and_a_pack_are_no_store(app, client, staff, file_store):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        paper_request = make_request(make_consultation(), name="Ada Lovelace")
        request_id, pack_id = paper_request.id, paper_request.packs[0].id
        render_request_packs(request_id)
        (batch_id,) = print_run()
        build_print_batch(batch_id)
    batch = client.get(f"/print-batches/{batch_id}/batch.pdf")
    assert batch.status_code == 200 and batch.get_data().startswith(b"%PDF")
    batch.close()
    assert batch.headers["Cache-Control"] == "no-store"
    manifest = client.get(f"/print-batches/{batch_id}/manifest.csv")
    assert manifest.status_code == 200 and manifest.headers["Cache-Control"] == "no-store"
    pack = client.get(f"/requests/{request_id}/packs/{pack_id}.pdf")
    assert pack.status_code == 200 and pack.get_data().startswith(b"%PDF")
    pack.close()
    assert pack.headers["Cache-Control"] == "no-store"
    assert client.get(f"/requests/{request_id}").headers["Cache-Control"] == "no-store"
