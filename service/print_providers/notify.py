"""Print and post through GOV.UK Notify's precompiled-letter API, instead of a local print batch.

Only the pack's reference goes to Notify as the letter's reference (no personal data); the PDF carries
the address in its window, as Notify's precompiled-letter rules require.
"""

from __future__ import annotations

import io
import logging

from flask import current_app
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from service.dao.notify import record_notify_sent, record_notify_status
from service.models import Pack, PaperRequest

log = logging.getLogger(__name__)
FAILED = {"validation-failed", "virus-scan-failed", "technical-failure", "permanent-failure", "cancelled"}
POSTED = {"received"}  # Notify's word for "printed and handed to the post"


def uses_notify() -> bool:
    return current_app.config["PRINT_PROVIDER"] == "notify"


def fits_notify(request: PaperRequest) -> bool:
    """Notify posts printed letters of at most NOTIFY_MAX_PAGES pages; longer packs, braille and audio go to
    local print."""
    return request.format.printed_here and all(
        pack.page_count and pack.page_count <= current_app.config["NOTIFY_MAX_PAGES"] for pack in request.live_packs
    )


def client() -> NotificationsAPIClient:
    config = current_app.config
    if not config["NOTIFY_API_KEY"]:
        raise RuntimeError("PRINT_PROVIDER is notify but NOTIFY_API_KEY is not set")
    return NotificationsAPIClient(config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"], timeout=30)


def send_pack(pack: Pack, pdf: bytes) -> None:
    """Send one pack as a precompiled letter and record Notify's id for it."""
    response = client().send_precompiled_letter_notification(
        reference=f"{pack.reference}-{pack.print_round}",
        pdf_file=io.BytesIO(pdf),
        postage=current_app.config["NOTIFY_POSTAGE"],
    )
    record_notify_sent(pack, response["id"], response.get("status") or "pending-virus-check")
    log.info("Pack %s sent to Notify as %s", pack.id, response["id"])


def refresh_status(pack: Pack) -> str | None:
    """Ask Notify how the letter is doing and record it; return the status (None if Notify is away)."""
    try:
        notification = client().get_notification_by_id(pack.notify_id)
    except HTTPError as error:
        log.warning("Notify status for pack %s unavailable (%s)", pack.id, error.status_code)
        return None
    status = notification["status"]
    record_notify_status(pack, status, posted=status in POSTED, failed=status in FAILED)
    return status
