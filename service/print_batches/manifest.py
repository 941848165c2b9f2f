"""The manifest of a print batch: one CSV row per pack, in the order the packs are printed.

It goes to an outside print house: every text cell is made safe for a spreadsheet (no formula, no control
character), as the responses export is.
"""

from __future__ import annotations

import csv
import io

from service.dao.accessible_files import files_by_pack
from service.dao.printing import batch_manifest_rows
from service.print_batches.file_batch import member_name
from service.text import spreadsheet_cell

COLUMNS = ["position", "reference", "name", "address", "postcode", "format", "pages", "sheets", "file", "running_time"]


def manifest_csv(batch_id: int) -> str:
    """The manifest as CSV text. Made when downloaded, so it never outlives erased personal data."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = batch_manifest_rows(batch_id)
    # Braille and audio: the file in the batch's ZIP that goes to this address, and how long audio plays.
    made = files_by_pack([pack.id for _, pack in rows])
    for item, pack in rows:
        caller = pack.paper_request.caller
        lines = caller.address_lines
        file = made.get(pack.id)
        file = file if file and file.erased_at is None else None
        writer.writerow(
            [
                item.position + 1,
                pack.reference,
                spreadsheet_cell(caller.name),
                spreadsheet_cell(", ".join(lines[:-1])),
                spreadsheet_cell(caller.postcode),
                pack.paper_request.format.label,
                pack.page_count or "",
                "" if file else (pack.page_count or 0) // 2 or "",  # braille is embossed one side only
                member_name(pack.reference, file.extension) if file else "",
                file.running_time if file else "",
            ]
        )
    return out.getvalue()
