"""Scan intake: every page of an uploaded file identified, lined up, read and put into its return.

Run by the worker (`workers.jobs.read_scan`) and by `flask returns scan`. Safe to run again on the same scan:
pages already recorded are skipped, and a page of a return is never read twice (a database constraint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import cv2
import numpy as np

from service import storage
from service.dao.requests import get_pack_by_reference
from service.dao.scans import (
    MarkRead,
    finish_scan,
    load_scan,
    read_positions,
    record_read_page,
    record_unread_page,
    set_progress,
    start_reading,
)
from service.models import Pack, PrintFormat, ScanPage, ScanPageStatus
from service.models.consultations import UK
from service.models.types import utcnow
from service.packs.assemble import consultation_facts, pack_format
from service.packs.content import ConsultationFacts, PackFormat
from service.packs.render import pack_page_count
from service.scans.entry import complete_if_ready
from service.scans.identify import PageIdentity
from service.scans.images import PageImage, count_pages, page_images
from service.scans.interpret import settle
from service.scans.marks import BoxRead, BoxState
from service.scans.read_page import PageOutcome, is_blank, read_known_page, upright_page

log = logging.getLogger(__name__)
PROGRESS_EVERY = 5  # pages between progress updates


def pack_geometry(pack: Pack) -> tuple[ConsultationFacts, PackFormat]:
    """The consultation and format a pack was printed in: all the reader needs to know where its boxes are."""
    print_format = pack.request.format if pack.request is not None else PrintFormat.STANDARD
    return consultation_facts(pack.consultation), pack_format(print_format)


def _value(read: BoxRead) -> str | None:
    if read.state == BoxState.TICKED:
        return "1"
    if read.state in (BoxState.EMPTY, BoxState.FILLED):
        return "0" if read.box.is_tick_box else ""
    return None  # unsure, or written: a person decides or keys it


def mark_reads(reads: list[BoxRead]) -> list[MarkRead]:
    return [
        MarkRead(
            question_code=r.box.question_code,
            option_code=r.box.option_code,
            left_mm=r.box.left_mm,
            top_mm=r.box.top_mm,
            width_mm=r.box.width_mm,
            height_mm=r.box.height_mm,
            machine_state=r.state.value,
            ink=round(r.ink, 4),
            confidence=round(r.confidence, 3),
            note=r.note,
            value=_value(r),
        )
        for r in settle(reads)
    ]


def _store_image(scan_id: int, position: int, pixels: np.ndarray) -> str:
    key = f"scans/{scan_id}/page-{position}.png"
    ok, encoded = cv2.imencode(".png", pixels, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("could not encode the page image")
    handle, temporary = storage.open_for_writing(key)
    with handle:
        handle.write(encoded.tobytes())
    storage.commit_file(temporary, key)
    return key


def place_page(
    scan_id: int,
    position: int,
    pixels: np.ndarray,
    pack: Pack,
    page_number: int,
    actor_id: int | None,
    placed_by_id: int | None = None,
) -> ScanPage:
    """Read an upright page of a known pack into its return.

    placed_by_id: a person typed the reference of a page waiting "to place"; that row is replaced, in the same
    transaction, by what the page became (PageAlreadyPlaced if someone placed it first).
    """
    replacing = placed_by_id is not None
    try:
        facts, fmt = pack_geometry(pack)
    except ValueError:  # a braille or audio copy's reference: no printed page of ours has it
        key = _store_image(scan_id, position, pixels)
        problem = "This reference is of a copy not printed here"
        return record_unread_page(
            scan_id, position, ScanPageStatus.FOREIGN, key, problem, pack.reference, page_number, None, replacing
        )
    if not 1 <= page_number <= pack_page_count(facts, fmt):
        key = _store_image(scan_id, position, pixels)
        problem = f"The pack has no page {page_number}"
        return record_unread_page(
            scan_id, position, ScanPageStatus.FOREIGN, key, problem, pack.reference, page_number, None, replacing
        )
    result = read_known_page(pixels, PageIdentity(pack.reference, page_number, False), facts, fmt)
    if result.outcome == PageOutcome.NO_BOXES:
        return record_unread_page(
            scan_id, position, ScanPageStatus.NO_ANSWERS, None, "", pack.reference, page_number, pack.id, replacing
        )
    if result.outcome != PageOutcome.READ or result.aligned is None:
        key = _store_image(scan_id, position, pixels)
        return record_unread_page(
            scan_id, position, ScanPageStatus.NOT_ALIGNED, key, result.problem, pack.reference, page_number, pack.id,
            replacing,
        )  # fmt: skip
    key = _store_image(scan_id, position, result.aligned.pixels)
    received_on = utcnow().astimezone(UK).date()
    marks = mark_reads(result.boxes)
    return record_read_page(
        scan_id, position, pack.id, page_number, key, marks, received_on, actor_id, placed_by_id, replacing
    )


def read_one_page(scan_id: int, position: int, image: PageImage, actor_id: int | None) -> ScanPage:
    """Identify, line up and read one page, and record what became of it."""
    if is_blank(image.pixels):
        return record_unread_page(scan_id, position, ScanPageStatus.BLANK, None)
    pixels, identity = upright_page(image)
    if identity is None:
        key = _store_image(scan_id, position, pixels)
        return record_unread_page(scan_id, position, ScanPageStatus.TO_PLACE, key, "No barcode could be read")
    pack = get_pack_by_reference(identity.reference)
    if pack is None:
        key = _store_image(scan_id, position, pixels)
        problem = "No pack has this reference"
        return record_unread_page(
            scan_id, position, ScanPageStatus.FOREIGN, key, problem, identity.reference, identity.page_number
        )
    return place_page(scan_id, position, pixels, pack, identity.page_number, actor_id)


def read_scan(scan_id: int, data: bytes, on_page: Callable[[int, int], None] | None = None) -> set[int]:
    """Read every page of a scan not yet recorded; return the ids of the returns its pages went into."""
    scan = load_scan(scan_id)
    total = count_pages(data)
    start_reading(scan, total)
    done = read_positions(scan_id)
    touched: set[int] = set()
    for position, image in enumerate(page_images(data), start=1):
        if position not in done:
            page = read_one_page(scan_id, position, image, scan.uploaded_by_id)
            if page.return_id is not None:
                touched.add(page.return_id)
        if position % PROGRESS_EVERY == 0:
            set_progress(scan, position)
        if on_page:
            on_page(position, total)
    # Pages read by an earlier, interrupted run count too.
    touched |= {p.return_id for p in scan.pages if p.return_id is not None}
    for return_id in sorted(touched):
        complete_if_ready(return_id)
    # Done only now, so that anyone watching the scan sees its returns as they will stay.
    uploaded = finish_scan(scan)
    if uploaded:
        storage.delete(uploaded)  # a whole stack of people's forms: kept no longer than it takes to read
    log.info("Read scan %s: %s pages, %s returns", scan_id, total, len(touched))
    return touched


def read_stored_scan(scan_id: int, on_page: Callable[[int, int], None] | None = None) -> set[int]:
    """Read an uploaded scan from the file store."""
    scan = load_scan(scan_id)
    if not scan.file_key:
        return set()  # already read, and the upload deleted
    return read_scan(scan_id, storage.path_for(scan.file_key).read_bytes(), on_page)
