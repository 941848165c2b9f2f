"""The manifest of a print batch: one CSV row per pack, in the order the packs are printed."""

from __future__ import annotations

import csv
import io

from service.dao.printing import batch_manifest_rows

COLUMNS = ["position", "reference", "name", "address", "postcode", "format", "pages", "sheets"]


def manifest_csv(batch_id: int) -> str:
    """The manifest as CSV text. Made when downloaded, so it never outlives erased personal data."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for item, pack in batch_manifest_rows(batch_id):
        caller = pack.request.caller
        lines = caller.address_lines
        writer.writerow(
            [
                item.position + 1,
                pack.reference,
                caller.name,
                ", ".join(lines[:-1]),
                caller.postcode,
                pack.request.format.label,
                pack.page_count or "",
                (pack.page_count or 0) // 2 or "",
            ]
        )
    return out.getvalue()
