"""The background jobs. Each takes ids, re-loads what it needs, and is safe to run twice."""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime, timedelta

from flask import current_app
from rq import get_current_job

from service.accessible_formats.delivery import deliver_request, forget_text_copy
from service.accessible_formats.make import make_accessible_file
from service.accessible_formats.tools import tools_for
from service.dao.accessible_files import hand_over_to_staff
from service.dao.audit import record_print_run
from service.dao.deliveries import fail_delivery
from service.dao.print_providers import packs_awaiting_status, record_provider_status, record_sent
from service.dao.printing import (
    create_print_batch,
    get_batch,
    mark_batch_failed,
    mark_pack_failed,
    mark_pack_ready,
    ready_groups,
    send_back_to_address_check,
)
from service.dao.renders import Drawn, RenderWork, rendering, save_rendered_packs
from service.dao.requests import RequestChangedMeanwhile, get_request, load_request
from service.models import MADE_WITH_TOOLS, BatchStatus, Delivery, IllegalTransition, PaperRequest, RequestStatus
from service.packs.assemble import consultation_facts, copy_content, pack_content
from service.packs.files import discard_unnamed_pack_files, read_stored_pack, store_pack_pdf
from service.packs.postal_rules import AddressNotPrintable
from service.packs.render import pack_page_count, render_pack
from service.print_batches.builder import BatchNoLongerBuilding, build_batch_file
from service.print_providers import available, print_provider, provider_class, provider_of_pack, takes
from service.queues.enqueue import enqueue_batch_build, enqueue_delivery, enqueue_send_to_provider
from service.queues.sweep import requeue_due_work
from workers.app import in_app_context

log = logging.getLogger("service.jobs")


def _last_attempt() -> bool:
    job = get_current_job()
    return job is None or not job.retries_left


def _reason(error: Exception) -> str:
    # The type and message of our own errors; never a traceback, which could quote personal data.
    return f"{type(error).__name__}: {error}"[:300]


@in_app_context
def render_request_packs(request_id: int) -> str:
    """Render the pack of every copy of one request; then it waits for the next print run."""
    with rendering(request_id) as work:
        if work is None or work.status != RequestStatus.WAITING_FOR_PACK:
            return "nothing to do"
        if work.format not in MADE_WITH_TOOLS:
            return _draw_and_save(work)
    return _make_accessible_files(load_request(request_id))  # minutes, perhaps: not holding the read's connection


def _draw_and_save(work: RenderWork) -> str:
    request_id = work.request_id
    stored_now: set[str] = set()
    try:
        drawn = []
        facts = consultation_facts(work.consultation)
        for copy in work.copies:
            if not copy.drawn:
                content = copy_content(work, copy, facts)
                stored = store_pack_pdf(render_pack(content))  # in the store before the row names it
                stored_now.add(stored.key)
                pages = pack_page_count(content.consultation, content.format, content.wording)
                drawn.append(Drawn(copy.pack_id, stored, pages))
        page_counts = {copy.pack_id: copy.page_count for copy in work.copies} | {d.pack_id: d.page_count for d in drawn}
        provider = print_provider()
        taken = takes(provider, work.format, page_counts.values())
        # One commit: each copy's row names its file, the request is ready, and the provider taking it is named.
        save_rendered_packs(work, drawn, provider.name if taken else None)
    except RequestChangedMeanwhile:
        discard_unnamed_pack_files(stored_now)  # erased or cancelled while drawn: the letters are not wanted
        log.info("Request %s changed while its pack was drawn; nothing saved", request_id)
        return "request changed meanwhile"
    except AddressNotPrintable as error:
        discard_unnamed_pack_files(stored_now)  # copies before the bad line: their letters hold the address
        # No retry would help: a call handler checks the address with the caller (it says which line).
        log.info("Request %s sent to address check at pack time (%s)", request_id, error.where)
        if request := get_request(request_id):
            send_back_to_address_check(request, f"Pack not made: {error}. Check the address with the caller.")
        return "needs address check"
    except Exception as error:
        discard_unnamed_pack_files(stored_now)
        log.warning("Rendering request %s failed (%s)", request_id, type(error).__name__)
        if _last_attempt() and (request := get_request(request_id)):
            mark_pack_failed(request, _reason(error))
        raise
    log.info("Rendered %s pack(s) for request %s", len(drawn), request_id)
    if taken:
        enqueue_send_to_provider(request_id)
    return "rendered"


def _still_alive() -> None:
    """Tell the sweep this long job's worker is alive (it takes a silent one for a dead worker's)."""
    job = get_current_job()
    if job is not None:
        job.heartbeat(datetime.now(UTC), ttl=current_app.config["RENDER_JOB_TIMEOUT_SECONDS"])


def _make_accessible_files(request: PaperRequest) -> str:
    """Make the braille or audio file of every copy; without the tools, hand the request to staff."""
    tools = tools_for(request.format)
    if not tools.available:
        hand_over_to_staff(request, tools.missing_reason)
        log.warning("Request %s: %s made by hand (%s)", request.id, request.format.value, tools.missing_reason)
        return "made by hand"
    try:
        for pack in request.live_packs:
            if pack.rendered_at is None:
                make_accessible_file(pack, tools)
                _still_alive()
    except RequestChangedMeanwhile:
        log.info("Request %s changed while its files were made; nothing saved", request.id)
        return "request changed meanwhile"
    except Exception as error:
        log.warning(
            "Making the %s file of request %s failed (%s)", request.format.value, request.id, type(error).__name__
        )
        if _last_attempt():
            mark_pack_failed(request, _reason(error))
        raise
    mark_pack_ready(request)  # the print house embosses the braille or copies the audio in the next print run
    if request.delivery != Delivery.POST:
        enqueue_delivery(request.id)  # or it goes by email or text, as the caller asked
    return "made"


@in_app_context
def deliver_accessible_files(request_id: int) -> str:
    """Send a ready braille or audio request's files by email or text, as the caller asked."""
    request = get_request(request_id)
    if request is None or request.status != RequestStatus.PACK_READY or request.delivery == Delivery.POST:
        return "nothing to do"
    try:
        return deliver_request(request)
    except Exception as error:
        log.warning("Sending request %s's files failed (%s)", request_id, type(error).__name__)
        if _last_attempt():
            fail_delivery(request, None, f"Not sent: {_reason(error)}")
        raise


@in_app_context
def forget_delivery_text(delivery_id: int) -> str:
    """Erasure: delete Twilio's copy of a download link's text (it holds the caller's number), then its SID."""
    return forget_text_copy(delivery_id)


@in_app_context
def send_request_to_provider(request_id: int) -> str:
    """Send each pack of a ready request to the print provider that has it (a pack already sent is not sent again)."""
    request = get_request(request_id)
    if request is None or request.status != RequestStatus.PACK_READY:
        return "nothing to do"
    unsent = [(pack, pack.provider) for pack in request.live_packs if pack.provider_reference is None]
    packs = [(pack, name) for pack, name in unsent if name]
    for pack, name in packs:
        # The stored render, or (lost or never kept) the same bytes drawn again from the pack's row.
        pdf = read_stored_pack(pack.file_key, pack.file_sha256) or render_pack(pack_content(pack))
        provider = provider_of_pack(name)
        sent = provider.send(pack.reference, pack.print_round, pdf)
        record_sent(pack, provider.label, sent.reference, sent.status)
        log.info("Pack %s sent to %s as %s", pack.id, provider.name, sent.reference)
    return "sent" if packs else "nothing to do"


@in_app_context
def refresh_provider_statuses() -> int:
    """Ask each print provider about its letters not yet posted or failed; return how many were asked about."""
    asked = 0
    for name in available():
        kind = provider_class(name)
        packs = packs_awaiting_status(name, kind.posted_statuses | kind.failed_statuses)
        if not packs:
            continue
        provider = provider_of_pack(name)
        for pack in packs:
            if pack.provider_reference is None:  # the query asks for sent packs only; said again for the type
                continue
            status = provider.status(pack.provider_reference)
            if status is not None:
                record_provider_status(
                    pack, provider.label, status, posted=provider.posted_statuses, failed=provider.failed_statuses
                )
        asked += len(packs)
    return asked


# Names before print providers were one interface, for jobs queued or scheduled before the upgrade.
send_request_to_notify = send_request_to_provider
refresh_notify_statuses = refresh_provider_statuses


@in_app_context
def send_reference_text(text_id: int) -> str:
    """Text the caller their reference and the online survey's address, once (see service/texts/send.py)."""
    from service.texts.send import TextNotConfirmed, give_up, send_text

    try:
        return send_text(text_id)
    except TextNotConfirmed as error:
        log.warning("Text %s not confirmed by Twilio (%s)", text_id, error)
        if _last_attempt():
            give_up(text_id)
        raise


@in_app_context
def forget_text_at_twilio(text_id: int) -> str:
    """Delete Twilio's copy of an erased caller's text."""
    from service.texts.send import forget_at_twilio

    return forget_at_twilio(text_id)


@in_app_context
def build_print_batch(batch_id: int) -> str:
    """Write one batch's print-ready PDF, reporting progress as it goes."""
    batch = get_batch(batch_id)
    if batch is None or batch.status != BatchStatus.BUILDING:
        return "nothing to do"
    job = get_current_job()

    def progress(done: int, total: int) -> None:
        if job is not None:
            job.meta["progress"] = {"done": done, "total": total}
            job.save_meta()
            # Still alive: the sweep takes a running job without a recent heartbeat for a dead worker's.
            job.heartbeat(datetime.now(UTC), ttl=current_app.config["BATCH_JOB_TIMEOUT_SECONDS"])

    try:
        build_batch_file(batch_id, progress)
    except BatchNoLongerBuilding:
        log.info("Batch %s was cancelled while it was built; its file is discarded", batch_id)
        return "cancelled"
    except Exception as error:
        log.warning("Building batch %s failed (%s)", batch_id, type(error).__name__)
        if _last_attempt():
            with contextlib.suppress(IllegalTransition):  # cancelled meanwhile: nothing to mark
                mark_batch_failed(batch, _reason(error))
        raise
    return "built"


@in_app_context
def print_run(actor_id: int | None = None) -> list[int]:
    """Gather every ready pack into batches (one per consultation and format) and queue their builds."""
    made: list[tuple[int, int]] = []
    for consultation_id, print_format in ready_groups():
        batch = create_print_batch(consultation_id, print_format, actor_id)
        if batch is not None:
            made.append((batch.id, batch.pack_count))
            enqueue_batch_build(batch.id)
    if made or actor_id is not None:  # a supervisor's run that found nothing is still something they did
        record_print_run(actor_id, made)
    log.info("Print run made %s batch(es)", len(made))
    return [batch_id for batch_id, _ in made]


@in_app_context
def sweep() -> dict[str, int]:
    """Re-queue work that is due but has no live job: Redis flushed or restarted, a worker killed."""
    return requeue_due_work()


@in_app_context
def erase_expired_personal_data() -> int:
    """Erase the personal data of consultations past their retention date; keep counts and answers."""
    from flask import current_app

    from service.dao.privacy import consultations_past_retention
    from service.models.types import uk_today, utcnow
    from service.personal_data.erasure import erase_past_retention, release_old_scans

    today = uk_today()
    erased = 0
    for consultation in consultations_past_retention(today, current_app.config["PERSONAL_DATA_RETENTION_DAYS"]):
        erased += erase_past_retention(consultation)
    scanned_before = utcnow() - timedelta(days=current_app.config["UNPLACED_SCAN_RETENTION_DAYS"])
    files = release_old_scans(scanned_before)
    log.info("Retention: erased the personal data of %s caller(s) and %s unplaced scan file(s)", erased, files)
    return erased


@in_app_context
def read_scan(scan_id: int) -> str:
    """Read every page of an uploaded scan into its returns; a retry carries on after the pages already read."""
    from service.dao.scans import fail_scan, get_scan
    from service.models import ScanStatus
    from service.scans.images import UnreadableFile
    from service.scans.intake import read_stored_scan

    scan = get_scan(scan_id)
    if scan is None or scan.status == ScanStatus.DONE:
        return "nothing to do"
    try:
        returns = read_stored_scan(scan_id)
    except UnreadableFile as error:
        fail_scan(scan, str(error))  # retrying cannot help
        return "unreadable"
    except Exception as error:
        log.warning("Reading scan %s failed (%s)", scan_id, type(error).__name__)
        if _last_attempt():
            fail_scan(scan, _reason(error))
        raise
    return f"read into {len(returns)} return(s)"
