"""GOV.UK Notify's precompiled-letter API: Notify prints and posts each pack of up to NOTIFY_MAX_PAGES pages.

Only the pack's reference and print round go to Notify as the letter's reference (no personal data); the PDF
carries the address in its window, as Notify's precompiled-letter rules require.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from typing import Any

from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from service.print_providers import Sent

log = logging.getLogger(__name__)


class Notify:
    name = "notify"
    label = "GOV.UK Notify"
    max_pages: int | None = 10  # Notify's limit for a precompiled letter (NOTIFY_MAX_PAGES may lower it)
    posted_statuses = frozenset({"received"})  # Notify's word for "printed and handed to the post"
    failed_statuses = frozenset(
        {"validation-failed", "virus-scan-failed", "technical-failure", "permanent-failure", "cancelled"}
    )

    def __init__(self, config: Mapping[str, Any]) -> None:
        if not config["NOTIFY_API_KEY"]:
            raise ValueError("PRINT_PROVIDER is notify but NOTIFY_API_KEY is not set")
        self.max_pages = min(10, config["NOTIFY_MAX_PAGES"])
        self.postage = config["NOTIFY_POSTAGE"]
        self.client = NotificationsAPIClient(config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"], timeout=30)

    def send(self, pack_reference: str, print_round: int, pdf: bytes) -> Sent:
        response = self.client.send_precompiled_letter_notification(
            reference=f"{pack_reference}-{print_round}", pdf_file=io.BytesIO(pdf), postage=self.postage
        )
        return Sent(reference=response["id"], status=response.get("status") or "pending-virus-check")

    def status(self, provider_reference: str) -> str | None:
        try:
            notification = self.client.get_notification_by_id(provider_reference)
        except HTTPError as error:
            log.warning("Notify status for letter %s unavailable (%s)", provider_reference, error.status_code)
            return None
        return str(notification["status"])


PROVIDER = Notify
