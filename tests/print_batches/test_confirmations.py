"""Irreversible batch actions ask first, on a page of their own; "sent to print" can be undone the same day."""

from __future__ import annotations

import re
from datetime import timedelta

from service.dao.printing import get_batch
from service.extensions import db
from service.models import BatchStatus, PaperRequest, RequestStatus, Role
from tests.conftest import csrf_token
from tests.factories import make_consultation
from tests.print_batches.test_print_batches import CALLERS, ready_requests
from workers.jobs import build_print_batch, print_run


def a_ready_batch(app) -> tuple[int, list[int]]:
    with app.app_context():
        request_ids = [r.id for r in ready_requests(make_consultation(), CALLERS[:2])]
        (batch_id,) = print_run()
        build_print_batch(batch_id)
        return batch_id, request_ids


def statuses(app, batch_id: int, request_ids: list[int]) -> tuple[BatchStatus, set[RequestStatus]]:
    with app.app_context():
        return get_batch(batch_id).status, {db.session.get(PaperRequest, i).status for i in request_ids}


def test_each_action_on_the_batch_page_leads_to_a_page_that_says_what_will_happen(app, client, staff, file_store):
    staff.sign_in(Role.SUPERVISOR)
    batch_id, request_ids = a_ready_batch(app)
    page = client.get(f"/print-batches/{batch_id}").get_data(as_text=True)
    # Links to the confirmation pages, not buttons that act at once.
    assert f'href="/print-batches/{batch_id}/sent-to-print">Mark as sent to print</a>' in page
    assert f'href="/print-batches/{batch_id}/cancel">Cancel this batch</a>' in page

    cancel = client.get(f"/print-batches/{batch_id}/cancel").get_data(as_text=True)
    assert f"Cancel Batch {batch_id}" in cancel and "The 2 packs in it will wait for the next print run" in cancel
    assert "This cannot be undone." in cancel and "No, keep the batch" in cancel
    sent = client.get(f"/print-batches/{batch_id}/sent-to-print").get_data(as_text=True)
    assert "you can undo it today" in sent
    assert statuses(app, batch_id, request_ids)[0] == BatchStatus.READY  # looking acted on nothing

    token = csrf_token(client, f"/print-batches/{batch_id}/sent-to-print")
    client.post(f"/print-batches/{batch_id}/sent-to-print", data={"csrf_token": token})
    posted = client.get(f"/print-batches/{batch_id}/posted").get_data(as_text=True)
    assert "will show as posted on the date you give" in posted and "This cannot be undone." in posted
    assert re.search(r'id="posted_on-day"[^>]*value="\d+"', posted)  # today, ready to confirm
    wrong = client.post(
        f"/print-batches/{batch_id}/posted",
        data={"posted_on-day": "30", "posted_on-month": "2", "posted_on-year": "2026", "csrf_token": token},
    ).get_data(as_text=True)
    assert "Date posted must be a real date" in wrong and 'href="#posted_on-day"' in wrong
    assert statuses(app, batch_id, request_ids)[0] == BatchStatus.SENT_TO_PRINT


def test_sent_to_print_is_undone_the_same_day_and_not_after(app, client, staff, file_store):
    staff.sign_in(Role.SUPERVISOR)
    batch_id, request_ids = a_ready_batch(app)
    token = csrf_token(client, f"/print-batches/{batch_id}/sent-to-print")
    client.post(f"/print-batches/{batch_id}/sent-to-print", data={"csrf_token": token})
    assert statuses(app, batch_id, request_ids) == (BatchStatus.SENT_TO_PRINT, {RequestStatus.SENT_TO_PRINT})
    assert "Undo sent to print" in client.get(f"/print-batches/{batch_id}").get_data(as_text=True)

    client.post(f"/print-batches/{batch_id}/sent-to-print/undo", data={"csrf_token": token})
    assert statuses(app, batch_id, request_ids) == (BatchStatus.READY, {RequestStatus.IN_PRINT_BATCH})
    history = client.get(f"/requests/{request_ids[0]}").get_data(as_text=True)
    assert "sent undone" in history

    client.post(f"/print-batches/{batch_id}/sent-to-print", data={"csrf_token": token})
    with app.app_context():  # marked yesterday: too late to undo
        batch = get_batch(batch_id)
        batch.sent_to_print_at = batch.sent_to_print_at - timedelta(days=1)
        db.session.commit()
    assert "Undo sent to print" not in client.get(f"/print-batches/{batch_id}").get_data(as_text=True)
    refused = client.post(f"/print-batches/{batch_id}/sent-to-print/undo", data={"csrf_token": token})
    assert "can only be undone on the day it was marked" in client.get(refused.headers["Location"]).get_data(
        as_text=True
    )
    assert statuses(app, batch_id, request_ids) == (BatchStatus.SENT_TO_PRINT, {RequestStatus.SENT_TO_PRINT})
