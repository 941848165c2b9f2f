"""Make one pack's braille or audio file and put it in the file store (the job calls this)."""

from __future__ import annotations

import logging
import time

from service import storage
from service.accessible_formats.audio import make_audio
from service.accessible_formats.braille import make_braille
from service.accessible_formats.document import AccessibleContent
from service.accessible_formats.tools import Tools
from service.dao.accessible_files import save_accessible_file
from service.dao.requests import RequestChangedMeanwhile
from service.models import Pack, PrintFormat
from service.models.consultations import UK
from service.packs.assemble import consultation_facts
from service.questionnaires.definition import load_consultation_facts, load_questionnaire

log = logging.getLogger(__name__)


def file_key(reference: str, extension: str) -> str:
    return f"accessible/{reference}.{extension}"


def _reply_email(slug: str) -> str:
    try:
        return str(load_consultation_facts(slug).get("reply_email") or "")
    except OSError:  # a consultation without a facts file (made in a test): no email line
        return ""


def accessible_content(pack: Pack) -> AccessibleContent:
    """What one pack's braille or audio copy says (dated like its paper letter: the day of the request)."""
    request, consultation = pack.paper_request, pack.consultation
    facts = consultation_facts(consultation)
    return AccessibleContent(
        reference=pack.reference,
        recipient_name=request.caller.name or None,
        letter_date=request.created_at.astimezone(UK).date(),
        consultation=facts,
        questionnaire=load_questionnaire(facts.questionnaire_file),
        reply_email=_reply_email(consultation.slug),
    )


def _store(key: str, data: bytes) -> None:
    handle, temporary = storage.open_for_writing(key)
    with handle:
        handle.write(data)
    storage.commit_file(temporary, key)


def make_accessible_file(pack: Pack, tools: Tools) -> None:
    """Make the BRF or MP3 (and its transcript) of `pack`, store it, and record it. A request erased or cancelled
    meanwhile: the files just made are deleted and RequestChangedMeanwhile raised."""
    keys = [file_key(pack.reference, extension) for extension in ("brf", "mp3", "txt")]
    try:
        _make(pack, tools)
    except RequestChangedMeanwhile:
        for key in keys:
            storage.delete(key)
        raise


def _make(pack: Pack, tools: Tools) -> None:
    started = time.perf_counter()
    content = accessible_content(pack)
    if pack.paper_request.format == PrintFormat.BRAILLE:
        braille = make_braille(content, tools)
        key = file_key(pack.reference, "brf")
        _store(key, braille.brf)
        save_accessible_file(
            pack,
            file_key=key,
            transcript_key=None,
            size_bytes=len(braille.brf),
            braille_pages=braille.pages,
            duration_seconds=None,
            made_in_seconds=time.perf_counter() - started,
        )
    else:
        audio = make_audio(content, tools)
        key, transcript_key = file_key(pack.reference, "mp3"), file_key(pack.reference, "txt")
        _store(key, audio.mp3)
        _store(transcript_key, audio.transcript.encode("utf-8"))
        save_accessible_file(
            pack,
            file_key=key,
            transcript_key=transcript_key,
            size_bytes=len(audio.mp3),
            braille_pages=None,
            duration_seconds=audio.duration_seconds,
            made_in_seconds=time.perf_counter() - started,
        )
    seconds = time.perf_counter() - started
    log.info("Made the %s file of pack %s in %.1f s", pack.paper_request.format.value, pack.id, seconds)
