"""The sweep: re-queue work that is due but has no live job (Redis flushed or restarted, a worker killed), and
remove the temporary print files a killed builder left behind, and pack files a killed render never named."""

from __future__ import annotations

import logging

from service import storage
from service.dao.deliveries import request_ids_waiting_for_delivery, texts_to_forget_at_twilio
from service.dao.printing import batch_ids_building, request_ids_waiting_for_pack
from service.dao.texts import forgotten_text_ids_at_twilio, text_ids_due
from service.packs.files import remove_unnamed_pack_files
from service.queues import redis_connection
from service.queues.enqueue import (
    batch_job_id,
    delivery_job_id,
    enqueue_batch_build,
    enqueue_delivery,
    enqueue_forget_delivery_text,
    enqueue_forget_text,
    enqueue_render,
    enqueue_send_text,
    job_is_live,
    render_job_id,
    text_job_id,
)

log = logging.getLogger("service.jobs")
# A batch's temporary file is written chunk by chunk; one untouched this long was left by a killed builder.
STALE_TEMPORARY_FILE_SECONDS = 600
# A render stores its packs' PDFs and commits the rows naming them within one job (at most the render job's
# timeout); a pack file no row names after an hour was left by a render that died before its commit.
UNNAMED_PACK_FILE_SECONDS = 3600


def requeue_due_work() -> dict[str, int]:
    """Queue every render and batch build the database says is due and Redis has no live job for."""
    connection = redis_connection()
    renders = sum(
        1
        for request_id in request_ids_waiting_for_pack()
        if not job_is_live(render_job_id(request_id), connection) and enqueue_render(request_id, connection)
    )
    builds = sum(
        1
        for batch_id in batch_ids_building()
        if not job_is_live(batch_job_id(batch_id), connection) and enqueue_batch_build(batch_id, connection)
    )
    texts = sum(
        1
        for text_id in text_ids_due()
        if not job_is_live(text_job_id(text_id), connection) and enqueue_send_text(text_id, connection)
    )
    for text_id in forgotten_text_ids_at_twilio():
        enqueue_forget_text(text_id, connection)  # a live job with this id is left alone
    # Braille and audio to send by email or text, and the download-link texts whose copy at Twilio is to go.
    texts += sum(
        1
        for request_id in request_ids_waiting_for_delivery()
        if not job_is_live(delivery_job_id(request_id), connection) and enqueue_delivery(request_id, connection)
    )
    for delivery_id in texts_to_forget_at_twilio():
        enqueue_forget_delivery_text(delivery_id, connection)
    temporary_files = storage.remove_stale_temporary_files(STALE_TEMPORARY_FILE_SECONDS)
    unnamed_pack_files = remove_unnamed_pack_files(UNNAMED_PACK_FILE_SECONDS)
    if renders or builds or texts or temporary_files or unnamed_pack_files:
        log.info(
            "Sweep re-queued %s render(s), %s batch build(s) and %s text(s); removed %s stale temporary file(s) "
            "and %s pack file(s) no request names",
            renders,
            builds,
            texts,
            temporary_files,
            unnamed_pack_files,
        )
    return {
        "renders": renders,
        "builds": builds,
        "texts": texts,
        "temporary_files": temporary_files,
        "unnamed_pack_files": unnamed_pack_files,
    }
