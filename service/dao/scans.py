"""Scans: uploaded files, the pages read from them into returns, and the boxes people decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from service.dao import rows_changed, transactional
from service.dao.audit import record_audit
from service.dao.returns import receive_original_return
from service.extensions import db
from service.models import (
    Consultation,
    Pack,
    Return,
    ReturnStatus,
    Scan,
    ScanMark,
    ScanPage,
    ScanPageStatus,
    ScanStatus,
)
from service.models.scans import DISCARD_REASONS
from service.models.types import utcnow

PER_PAGE = 50


@dataclass(frozen=True)
class MarkRead:
    """One box as the reader left it: where it is, what it saw, and the value when it was sure."""

    question_code: str
    option_code: str
    left_mm: float
    top_mm: float
    width_mm: float
    height_mm: float
    machine_state: str
    ink: float
    confidence: float
    note: str
    value: str | None  # None: a person decides


@transactional
def create_scan(file_key: str, file_name: str, page_count: int, actor_id: int | None) -> Scan:
    """Record an uploaded file of scanned pages, to be read by the worker."""
    scan = Scan(file_key=file_key, file_name=file_name[:200], page_count=page_count, uploaded_by_id=actor_id)
    db.session.add(scan)
    db.session.flush()
    record_audit(actor_id, "scan.uploaded", "scan", scan.id, pages=page_count)
    return scan


def get_scan(scan_id: int) -> Scan | None:
    return db.session.get(Scan, scan_id)


def load_scan(scan_id: int) -> Scan:
    """The scan `scan_id`, which the caller has just made or been given by a job: NoResultFound if it is gone."""
    return db.session.get_one(Scan, scan_id)


def list_scans(limit: int = PER_PAGE) -> list[Scan]:
    """The latest uploads, newest first."""
    return list(db.session.scalars(select(Scan).order_by(Scan.id.desc()).limit(limit)))


def list_scan_pages(scan_id: int) -> list[ScanPage]:
    return list(db.session.scalars(select(ScanPage).where(ScanPage.scan_id == scan_id).order_by(ScanPage.position)))


def read_positions(scan_id: int) -> set[int]:
    """Positions of the pages of a scan already recorded (a retried job skips them)."""
    return set(db.session.scalars(select(ScanPage.position).where(ScanPage.scan_id == scan_id)))


@transactional
def start_reading(scan: Scan, page_count: int) -> None:
    scan.status = ScanStatus.READING
    scan.page_count = page_count
    scan.error = ""


@transactional
def set_progress(scan: Scan, pages_read: int) -> None:
    scan.pages_read = pages_read


@transactional
def finish_scan(scan: Scan) -> str:
    """Mark a scan read; return the uploaded file's key, no longer needed (each page is kept on its own)."""
    scan.status = ScanStatus.DONE
    scan.pages_read = scan.page_count
    scan.finished_at = utcnow()
    key, scan.file_key = scan.file_key, ""
    return key


@transactional
def fail_scan(scan: Scan, reason: str) -> None:
    """Mark a scan failed (retries ran out, or the file cannot be read), with a reason a person can act on."""
    scan.status = ScanStatus.FAILED
    scan.error = reason[:300]
    scan.finished_at = utcnow()


@transactional
def record_unread_page(
    scan_id: int,
    position: int,
    status: ScanPageStatus,
    image_key: str | None,
    problem: str = "",
    reference: str | None = None,
    page_number: int | None = None,
    pack_id: int | None = None,
    replacing: bool = False,
) -> ScanPage:
    """Record a page that is not read into a return (blank, not identified, not ours, nothing to read).

    replacing: a person placed the page; its "to place" row goes in this same transaction.
    """
    if replacing:
        _take_place_of(scan_id, position)
    page = ScanPage(
        scan_id=scan_id,
        position=position,
        status=status,
        image_key=image_key,
        problem=problem[:500],
        reference=reference,
        page_number=page_number,
        pack_id=pack_id,
    )
    db.session.add(page)
    db.session.flush()
    return page


class PageAlreadyPlaced(Exception):
    """Someone else placed (or deleted) this page first."""


def _take_place_of(scan_id: int, position: int) -> None:
    """A placed page's "to place" row goes in the transaction that writes what it became: nothing is lost if the
    process dies between the two, and two people placing the same page at once place it once."""
    gone = rows_changed(
        delete(ScanPage).where(
            ScanPage.scan_id == scan_id, ScanPage.position == position, ScanPage.status == ScanPageStatus.TO_PLACE
        )
    )
    if gone != 1:
        raise PageAlreadyPlaced(f"page {position} of scan {scan_id}")


def _return_for_pack(pack: Pack, received_on: date, actor_id: int | None) -> Return:
    # The pack's first return, received now if this is the first page of it to arrive.
    ret = db.session.scalar(
        select(Return).where(Return.pack_id == pack.id, Return.duplicate_of_id.is_(None)).order_by(Return.id)
    )
    if ret is not None:
        return ret
    consultation = db.session.get_one(Consultation, pack.consultation_id)
    return receive_original_return(consultation, pack, received_on, received_on > consultation.closes_on, actor_id)


def record_read_page(
    scan_id: int,
    position: int,
    pack_id: int,
    page_number: int,
    image_key: str,
    marks: list[MarkRead],
    received_on: date,
    actor_id: int | None,
    placed_by_id: int | None = None,
    replacing: bool = False,
) -> ScanPage:
    """Read a page into its pack's return (received now if it is the first page to arrive).

    The (return, page number) constraint refuses a page already read, whatever the timing: the page is then
    recorded as a duplicate instead; the one-original index keeps two processes from making two returns. A return keyed by hand before its scan came is left as it is.
    """
    # A first failure may be another process making the pack's return at the same moment (the one-original
    # index refused ours): the second try reads into that return. A second failure is the page itself.
    for _ in range(2):
        try:
            return _record_read_page(
                scan_id, position, pack_id, page_number, image_key, marks, received_on, actor_id, placed_by_id,
                replacing,
            )  # fmt: skip
        except IntegrityError:
            db.session.rollback()
    return record_unread_page(
        scan_id, position, ScanPageStatus.DUPLICATE, image_key, "", _reference(pack_id), page_number, pack_id,
        replacing,
    )  # fmt: skip


def _reference(pack_id: int) -> str:
    return db.session.scalars(select(Pack.reference).where(Pack.id == pack_id)).one()


@transactional
def _record_read_page(
    scan_id: int,
    position: int,
    pack_id: int,
    page_number: int,
    image_key: str,
    marks: list[MarkRead],
    received_on: date,
    actor_id: int | None,
    placed_by_id: int | None,
    replacing: bool,
) -> ScanPage:
    if replacing:
        _take_place_of(scan_id, position)
    # Lock the pack so two pages of it arriving at once make one return, not two.
    pack = db.session.scalars(select(Pack).where(Pack.id == pack_id).with_for_update()).one()
    ret = _return_for_pack(pack, received_on, actor_id)
    page = ScanPage(
        scan_id=scan_id,
        position=position,
        image_key=image_key,
        reference=pack.reference,
        page_number=page_number,
        pack_id=pack.id,
        placed_by_id=placed_by_id,
    )
    if ret.keyings:  # keyed by hand, or its scanned entry already saved: the page changes nothing now
        page.status = ScanPageStatus.ALREADY_KEYED
        db.session.add(page)
        db.session.flush()
        return page
    page.status = ScanPageStatus.READ
    page.return_id = ret.id
    db.session.add(page)
    db.session.flush()  # the unique (return, page number) constraint speaks here
    now = utcnow()
    for mark in marks:
        db.session.add(
            ScanMark(
                scan_page_id=page.id,
                return_id=ret.id,
                question_code=mark.question_code,
                option_code=mark.option_code,
                left_mm=mark.left_mm,
                top_mm=mark.top_mm,
                width_mm=mark.width_mm,
                height_mm=mark.height_mm,
                machine_state=mark.machine_state,
                ink=mark.ink,
                confidence=mark.confidence,
                note=mark.note[:120],
                value=mark.value,
                decided_at=now if mark.value is not None else None,
            )
        )
    record_audit(actor_id, "scan.page_read", "return", ret.id, scan=scan_id, page=page_number)
    return page


def get_scan_page(page_id: int) -> ScanPage | None:
    return db.session.get(ScanPage, page_id)


def get_mark(mark_id: int) -> ScanMark | None:
    return db.session.scalar(select(ScanMark).where(ScanMark.id == mark_id).options(joinedload(ScanMark.page)))


def list_pages_to_place(limit: int = PER_PAGE) -> list[ScanPage]:
    """Pages no barcode could be read on, oldest first, not yet placed."""
    query = select(ScanPage).where(ScanPage.status == ScanPageStatus.TO_PLACE).order_by(ScanPage.id).limit(limit)
    return list(db.session.scalars(query))


def count_pages_to_place() -> int:
    return db.session.scalar(select(func.count(ScanPage.id)).where(ScanPage.status == ScanPageStatus.TO_PLACE)) or 0


_UNPLACED = (ScanPageStatus.TO_PLACE, ScanPageStatus.FOREIGN, ScanPageStatus.BLANK, ScanPageStatus.NOT_ALIGNED)


def _release_unplaced(page: ScanPage, status: ScanPageStatus) -> str | None:
    """Compare-and-set: the page loses its image only if it is still as read (not placed meanwhile)."""
    key = page.image_key
    if key is None or page.pack_id is not None or status not in _UNPLACED:
        return None
    changed = rows_changed(
        update(ScanPage)
        .where(ScanPage.id == page.id, ScanPage.status == status, ScanPage.image_key == key)
        .values(status=ScanPageStatus.DISCARDED, image_key=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(page)
    return key if changed == 1 else None


@transactional
def discard_unplaced_page(page_id: int, reason: str, actor_id: int) -> str | None:
    """A supervisor deletes the image of a page nobody could place, for one of DISCARD_REASONS.

    Returns the image's key, for the caller to delete from the store once committed; None when the page was
    placed or discarded meanwhile (two supervisors at once, or a placing in between).
    """
    if reason not in DISCARD_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    page = db.session.get(ScanPage, page_id)
    key = _release_unplaced(page, page.status) if page is not None else None
    if page is not None and key is not None:
        record_audit(actor_id, "scan.page_discarded", "scan", page.scan_id, page=page.position, reason=reason)
    return key


@transactional
def release_unplaced_scans(scanned_before: datetime) -> set[str]:
    """The retention schedule's part for scans: pages never placed and uploads never read, scanned before the
    cut-off, lose their images. They belong to no pack, so no consultation's retention reaches them.

    Returns the store keys, for the caller to delete once committed.
    """
    keys: set[str] = set()
    old_pages = select(ScanPage).where(
        ScanPage.pack_id.is_(None),
        ScanPage.image_key.is_not(None),
        ScanPage.status.in_(_UNPLACED),
        ScanPage.created_at < scanned_before,
    )
    for page in db.session.scalars(old_pages).all():
        key = _release_unplaced(page, page.status)
        if key:
            keys.add(key)
    old_uploads = select(Scan).where(
        Scan.file_key != "", Scan.status != ScanStatus.DONE, Scan.created_at < scanned_before
    )
    for scan in db.session.scalars(old_uploads).all():
        keys.add(scan.file_key)
        scan.file_key = ""
        if scan.status != ScanStatus.FAILED:
            fail_scan(scan, "Not read before the retention date: the uploaded file was deleted")
    if keys:
        record_audit(None, "retention.scans_released", files=len(keys))
    return keys


def pages_of_return(return_id: int) -> list[ScanPage]:
    query = select(ScanPage).where(ScanPage.return_id == return_id).order_by(ScanPage.page_number)
    return list(db.session.scalars(query))


def marks_of_return(return_id: int) -> list[ScanMark]:
    query = (
        select(ScanMark)
        .where(ScanMark.return_id == return_id)
        .options(joinedload(ScanMark.page))
        .order_by(ScanMark.scan_page_id, ScanMark.id)
    )
    return list(db.session.scalars(query))


def next_return_to_verify(after_id: int = 0) -> int | None:
    """The oldest return (after `after_id`) with a box or written answer waiting for a person."""
    waiting = (
        select(ScanMark.return_id)
        .join(Return, Return.id == ScanMark.return_id)
        .where(ScanMark.decided_at.is_(None), Return.status == ReturnStatus.RECEIVED, ScanMark.return_id > after_id)
        .order_by(ScanMark.return_id)
        .limit(1)
    )
    return db.session.scalar(waiting)


def count_waiting_marks() -> tuple[int, int]:
    """(returns, boxes and written answers) waiting for a person."""
    query = (
        select(func.count(func.distinct(ScanMark.return_id)), func.count(ScanMark.id))
        .join(Return, Return.id == ScanMark.return_id)
        .where(ScanMark.decided_at.is_(None), Return.status == ReturnStatus.RECEIVED)
    )
    returns, marks = db.session.execute(query).one()
    return returns or 0, marks or 0


@transactional
def decide_marks(return_id: int, values: dict[int, str], actor_id: int) -> int:
    """Record a person's value for each undecided mark of a return; a mark someone else decided first is left
    as they decided it (compare-and-set). Returns how many this person decided."""
    decided = 0
    now = utcnow()
    for mark_id, value in values.items():
        result = rows_changed(
            update(ScanMark)
            .where(ScanMark.id == mark_id, ScanMark.return_id == return_id, ScanMark.decided_at.is_(None))
            .values(value=value, decided_by_id=actor_id, decided_at=now)
        )
        decided += result
    record_audit(actor_id, "scan.marks_decided", "return", return_id, marks=decided)
    return decided


def scan_page_image_keys_for_returns(return_ids: list[int]) -> list[str]:
    """The stored page images of these returns' scanned pages (for erasure)."""
    if not return_ids:
        return []
    query = select(ScanPage.image_key).where(ScanPage.return_id.in_(return_ids), ScanPage.image_key.is_not(None))
    return list(db.session.scalars(query))


def scan_pages_of_packs(pack_ids: list[int]) -> list[ScanPage]:
    """Every scanned page identified as one of these packs, read or not (for subject access and erasure)."""
    if not pack_ids:
        return []
    query = select(ScanPage).where(ScanPage.pack_id.in_(pack_ids)).order_by(ScanPage.id)
    return list(db.session.scalars(query))


def release_scan_images(pack_ids) -> set[str]:
    """Forget the stored images of every scanned page of these packs (in the caller's transaction) and return
    their keys, for the caller to delete once committed. Decided answers stay; the pictures go."""
    pages = db.session.scalars(select(ScanPage).where(ScanPage.pack_id.in_(pack_ids), ScanPage.image_key.is_not(None)))
    keys: set[str] = set()
    for page in pages:
        if page.image_key is not None:  # the query asked for pages with an image; said again for the type
            keys.add(page.image_key)
        page.image_key = None
    return keys


def scanned_pages_for_subject_access(pack_ids: list[int]) -> list[dict]:
    """Every scanned page of these packs, with its image (base64 PNG), for a subject access request."""
    import base64

    from service import storage

    out = []
    for page in scan_pages_of_packs(pack_ids):
        image = None
        if page.image_key:
            path = storage.path_for(page.image_key)
            image = base64.b64encode(path.read_bytes()).decode("ascii") if path.exists() else None
        out.append(
            {
                "reference": page.reference,
                "page": page.page_number,
                "scanned_at": page.created_at.isoformat(),
                "what_it_is": page.status.label,
                "image_png_base64": image,
            }
        )
    return out
