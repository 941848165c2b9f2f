"""Braille and audio in the normal flow: logged, made by the job, shown, batched, erased; and without the tools."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
import redis
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import select

from service import storage
from service.dao.requests import get_request
from service.extensions import db
from service.models import AccessibleFile, PaperRequest, PrintFormat, RequestStatus, Role
from service.personal_data.erasure import erase_person
from service.queues.enqueue import render_job_id
from tests.accessible_formats.reading import brf_pages, probe
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request
from workers.jobs import build_print_batch, print_run, render_request_packs


@pytest.fixture
def no_tools(app, monkeypatch, tmp_path):
    """A machine without liblouis, espeak-ng or ffmpeg: the tool path points at an empty folder."""
    monkeypatch.setitem(app.config, "FORMAT_TOOLS_PATH", str(tmp_path / "nowhere"))


def request_form(consultation, print_format: str) -> dict[str, str]:
    return {
        "consultation_id": str(consultation.id),
        "name": "Siân Roberts",
        "address_line_1": "12 Hope Street",
        "address_line_2": "",
        "address_line_3": "",
        "town": "Liverpool",
        "postcode": "L1 9BQ",
        "phone": "",
        "format": print_format,
        "language": "",
        "copies": "1",
        "notes": "",
    }


def file_of(request: PaperRequest) -> AccessibleFile:
    return db.session.scalar(select(AccessibleFile).where(AccessibleFile.pack_id == request.packs[0].id))


def test_braille_chosen_on_the_form_is_made_by_a_job_safe_to_run_twice(app, client, staff):
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        consultation = make_consultation()
        token = csrf_token(client, "/requests/new")
        client.post("/requests/new", data=request_form(consultation, "braille") | {"csrf_token": token})
        request = db.session.scalar(select(PaperRequest))
        assert request.status == RequestStatus.WAITING_FOR_PACK and request.fulfilment_due_on is not None
        job = Job.fetch(
            render_job_id(request.id),
            connection=redis.Redis.from_url(app.config["REDIS_URL"]),
            serializer=JSONSerializer,
        )
        assert job.func_name == "workers.jobs.render_request_packs" and job.args == [request.id]

        assert render_request_packs(request.id) == "made"
        db.session.expire_all()
        made = file_of(request)
        brf = storage.path_for(made.file_key).read_bytes()
        assert made.braille_pages == len(brf_pages(brf)) and made.size_bytes == len(brf)
        assert get_request(request.id).status == RequestStatus.PACK_READY
        assert render_request_packs(request.id) == "nothing to do"  # a second run changes nothing
        assert storage.path_for(made.file_key).read_bytes() == brf
        request_id, pack_id, reference = request.id, request.packs[0].id, request.packs[0].reference

    page = client.get("/requests/alternative-formats").get_data(as_text=True)
    made_table = page.split('id="made-by-the-service"', 1)[1].split("</table>", 1)[0]
    assert f"{reference[:3]} {reference[3:6]} {reference[6:]}" in made_table and "Download BRF" in made_table
    assert "Braille is made by the service within minutes" in page
    with client.get(f"/requests/{request_id}/packs/{pack_id}.brf?download=1") as download:  # a file: close it
        assert download.data == brf and download.headers["Cache-Control"] == "no-store"
        assert f"braille-{reference}.brf" in download.headers["Content-Disposition"]
    assert "Download BRF" in client.get(f"/requests/{request_id}").get_data(as_text=True)
    assert client.get(f"/requests/{request_id}/packs/{pack_id}.mp3").status_code == 404


def test_data_entry_staff_cannot_fetch_a_braille_file(app, client, staff):
    with app.app_context():
        request = make_request(make_consultation(), print_format=PrintFormat.BRAILLE)
        render_request_packs(request.id)
        path = f"/requests/{request.id}/packs/{request.packs[0].id}.brf"
    staff.sign_in(Role.DATA_ENTRY)
    assert client.get(path).status_code == 403


def test_audio_is_made_played_on_the_screen_batched_with_the_manifest_and_erased(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation = make_consultation()
        audio = make_request(consultation, print_format=PrintFormat.AUDIO, name="Carys Evans", postcode="CH41 1AA")
        braille = make_request(consultation, print_format=PrintFormat.BRAILLE, name="Dafydd Jones")
        assert render_request_packs(audio.id) == "made" and render_request_packs(braille.id) == "made"
        db.session.expire_all()
        made = file_of(audio)
        mp3_path = storage.path_for(made.file_key)
        assert probe(mp3_path)["streams"][0]["codec_name"] == "mp3" and made.duration_seconds > 60
        transcript = storage.path_for(made.transcript_key).read_text(encoding="utf-8")
        assert transcript.startswith(f"{consultation.title}.\nFrom {consultation.organisation}.")
        audio_id, audio_pack = audio.id, audio.packs[0]
        braille_pack = braille.packs[0]
        brf = storage.path_for(file_of(braille).file_key).read_bytes()

    page = client.get("/requests/alternative-formats").get_data(as_text=True)
    assert f'<audio controls preload="none" src="/requests/{audio_id}/packs/{audio_pack.id}.mp3"' in page
    mp3_url = f"/requests/{audio_id}/packs/{audio_pack.id}.mp3"
    with client.get(mp3_url, headers={"Range": "bytes=0-1023"}) as played:  # the player seeks
        assert played.status_code == 206 and played.mimetype == "audio/mpeg" and len(played.data) == 1024
    with client.get(f"/requests/{audio_id}/packs/{audio_pack.id}.txt") as text:
        assert text.get_data(as_text=True) == transcript

    with app.app_context():
        batch_ids = print_run()
        assert len(batch_ids) == 2  # one per format
        for batch_id in batch_ids:
            build_print_batch(batch_id)
    by_format = {}
    for batch_id in batch_ids:
        manifest = list(
            csv.DictReader(io.StringIO(client.get(f"/print-batches/{batch_id}/manifest.csv").get_data(as_text=True)))
        )
        with client.get(f"/print-batches/{batch_id}/files.zip") as response:
            archive = zipfile.ZipFile(io.BytesIO(response.data))
        by_format[manifest[0]["format"]] = (manifest, archive)
        assert client.get(f"/print-batches/{batch_id}/batch.pdf").status_code == 404
    manifest, archive = by_format["Audio"]
    assert manifest[0]["reference"] == audio_pack.reference and manifest[0]["name"] == "Carys Evans"
    assert manifest[0]["file"] == f"{audio_pack.reference}.mp3" and manifest[0]["running_time"].endswith(" s")
    assert archive.read(manifest[0]["file"]) == mp3_path.read_bytes()
    manifest, archive = by_format["Braille"]
    assert manifest[0]["file"] == f"{braille_pack.reference}.brf" and archive.read(manifest[0]["file"]) == brf
    assert manifest[0]["pages"] == str(len(brf_pages(brf)))
    assert "print-house-instructions.txt" in archive.namelist()

    with app.app_context():
        caller_id = get_request(audio_id).caller_id
    (export,) = json.loads(client.get(f"/personal-data/callers/{caller_id}/export.json").get_data(as_text=True))[
        "records"
    ]
    assert [f["file"] for f in export["requests"][0]["braille_or_audio_files"]] == [f"{audio_pack.reference}.mp3"]
    with app.app_context():
        request = get_request(audio_id)
        keys = erase_person(request.caller, None, "Test", "asked to be forgotten").files
        assert {f"accessible/{audio_pack.reference}.mp3", f"accessible/{audio_pack.reference}.txt"} <= keys
        assert not mp3_path.exists()
    assert client.get(f"/requests/{audio_id}/packs/{audio_pack.id}.mp3").status_code == 404
    assert "personal data erased" in client.get(f"/requests/{audio_id}").get_data(as_text=True)


@pytest.mark.parametrize("print_format", ["braille", "audio"])
def test_without_the_tools_the_form_still_works_and_the_screen_says_made_by_hand_and_why(
    app, client, staff, no_tools, print_format
):
    staff.sign_in(Role.CALL_HANDLER)
    with app.app_context():
        consultation = make_consultation()
        token = csrf_token(client, "/requests/new")
        response = client.post("/requests/new", data=request_form(consultation, print_format) | {"csrf_token": token})
        assert response.status_code == 302
        request = db.session.scalar(select(PaperRequest))
        assert request.status == RequestStatus.ALTERNATIVE_FORMAT_DUE
    page = client.get("/requests/alternative-formats").get_data(as_text=True)
    assert "Braille will be made by hand: lou_translate (Debian package liblouis-bin) is not installed" in page
    assert "Audio will be made by hand: espeak-ng (Debian package espeak-ng) and ffmpeg (Debian package ffmpeg)" in page
    manual = page.split('id="alternative-formats"', 1)[1]
    assert "Siân Roberts" in manual and "Mark as sent" in manual


def test_a_worker_without_the_tools_hands_the_request_to_staff(app, monkeypatch, tmp_path):
    with app.app_context():
        request = make_request(make_consultation(), print_format=PrintFormat.BRAILLE)
        assert request.status == RequestStatus.WAITING_FOR_PACK  # the web process had the tools
        monkeypatch.setitem(app.config, "FORMAT_TOOLS_PATH", str(Path(tmp_path) / "nowhere"))
        assert render_request_packs(request.id) == "made by hand"
        db.session.expire_all()
        request = get_request(request.id)
        assert request.status == RequestStatus.ALTERNATIVE_FORMAT_DUE
        assert "lou_translate (Debian package liblouis-bin) is not installed" in request.failure_reason
