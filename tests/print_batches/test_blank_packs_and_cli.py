"""Blank packs (screen and CLI), and rendering one pack from the command line."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from service.extensions import db
from service.models import Pack, PrintFormat, Role
from service.reference import parse_reference
from tests.conftest import csrf_token
from tests.factories import make_consultation, make_request
from tests.requests.test_double_submit import at_once, form_key

REFERENCE = re.compile(r"Reference (\d{3} \d{3} \d{4})")


def test_blank_packs_each_have_their_own_reference_and_no_address(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation_id = make_consultation().id
    token = csrf_token(client, "/print-batches")
    response = client.post(
        "/print-batches/blank-packs",
        data={"csrf_token": token, "consultation_id": consultation_id, "count": "20", "format": "standard"},
    )
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 20 * 8
    first_pages = [reader.pages[i * 8].extract_text() for i in range(20)]
    references = {REFERENCE.search(text).group(1).replace(" ", "") for text in first_pages}
    assert len(references) == 20 and all(parse_reference(r) == r for r in references)
    assert all("Dear resident" in text for text in first_pages)
    with app.app_context():
        stored = set(db.session.scalars(select(Pack.reference).where(Pack.request_id.is_(None))))
    assert stored == references  # a returned blank form is matched by its reference


def references_in(pdf: bytes, packs: int) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == packs * 8
    return [REFERENCE.search(reader.pages[i * 8].extract_text()).group(1) for i in range(packs)]


def blank_packs_made(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Pack.id).where(Pack.request_id.is_(None))).all())


def test_the_blank_pack_form_submitted_twice_makes_its_packs_once(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation_id = make_consultation().id
    data = {"consultation_id": consultation_id, "count": "5", "format": "standard"}

    # A retried POST (the answer was lost on a slow line): the same packs download again.
    key = form_key(client, "/print-batches")
    answers = [
        client.post(
            "/print-batches/blank-packs", data=dict(data, form_key=key, csrf_token=csrf_token(client, "/print-batches"))
        )
        for _ in range(2)
    ]
    first = references_in(answers[0].data, 5)
    assert references_in(answers[1].data, 5) == first
    assert blank_packs_made(app) == 5

    # A double click: both posts at the same moment make one set of packs between them.
    key = form_key(client, "/print-batches")
    token = csrf_token(client, "/print-batches")
    answers = at_once(
        [
            lambda: client.post("/print-batches/blank-packs", data=dict(data, form_key=key, csrf_token=token))
            for _ in range(2)
        ]
    )
    assert [a.mimetype for a in answers] == ["application/pdf", "application/pdf"]
    assert references_in(answers[0].data, 5) == references_in(answers[1].data, 5) != first
    assert blank_packs_made(app) == 10

    # A new form (the page loaded again) is a new set.
    client.post(
        "/print-batches/blank-packs",
        data=dict(data, form_key=form_key(client, "/print-batches"), csrf_token=csrf_token(client, "/print-batches")),
    )
    assert blank_packs_made(app) == 15


def test_after_a_blank_pack_error_the_print_run_form_has_a_key_of_its_own(app, client, staff):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        consultation_id = make_consultation().id
    key = form_key(client, "/print-batches")
    page = client.post(
        "/print-batches/blank-packs",
        data={
            "consultation_id": consultation_id,
            "count": "0",
            "form_key": key,
            "csrf_token": csrf_token(client, "/print-batches"),
        },
    ).get_data(as_text=True)
    keys = re.findall(r'name="form_key" value="([^"]+)"', page)
    assert len(keys) == 2 and keys[1] == key and keys[0] != key  # print run first, then blank packs
    # A print run started from that page, then the corrected blank-pack form: both do their work.
    assert (
        client.post(
            "/print-batches/run", data={"form_key": keys[0], "csrf_token": csrf_token(client, "/print-batches")}
        ).status_code
        == 302
    )
    answer = client.post(
        "/print-batches/blank-packs",
        data={
            "consultation_id": consultation_id,
            "count": "2",
            "format": "standard",
            "form_key": key,
            "csrf_token": csrf_token(client, "/print-batches"),
        },
    )
    assert len(references_in(answer.data, 2)) == 2 and blank_packs_made(app) == 2


def test_blank_pack_form_explains_bad_input_and_keeps_it(client, staff, app):
    staff.sign_in(Role.SUPERVISOR)
    token = csrf_token(client, "/print-batches")
    page = client.post(
        "/print-batches/blank-packs",
        data={"csrf_token": token, "consultation_id": "", "count": "9000", "format": "standard"},
    ).get_data(as_text=True)
    assert "Select the consultation the packs are for" in page and "Enter how many packs, from 1 to 500" in page
    assert 'value="9000"' in page


def test_cli_renders_a_pack_and_makes_blank_packs(app, tmp_path):
    with app.app_context():
        consultation = make_consultation("cli-test")
        reference = make_request(consultation, name="Zoë Nguyễn").packs[0].reference
    runner = app.test_cli_runner()
    out = tmp_path / "pack.pdf"
    result = runner.invoke(
        args=["packs", "render", f"{reference[:3]} {reference[3:6]} {reference[6:]}", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Zoë Nguyễn" in PdfReader(out).pages[0].extract_text()
    wrong = runner.invoke(args=["packs", "render", reference[:-1] + str((int(reference[-1]) + 1) % 10), "-o", str(out)])
    assert wrong.exit_code != 0 and "not right" in wrong.output
    blanks = tmp_path / "blank.pdf"
    result = runner.invoke(
        args=[
            "packs",
            "blank",
            "--consultation",
            "cli-test",
            "--count",
            "3",
            "--format",
            "large_print",
            "-o",
            str(blanks),
        ]
    )
    assert result.exit_code == 0, result.output
    assert len(PdfReader(blanks).pages) == 3 * 14


def test_cli_print_run_builds_batches_with_a_progress_bar(app):
    from workers.jobs import render_request_packs

    with app.app_context():
        consultation = make_consultation("cli-run")
        for n in range(3):
            render_request_packs(make_request(consultation, name=f"Person {n}", address_line_1=f"{n} Road").id)
    result = app.test_cli_runner().invoke(args=["print", "run"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Batch \d+ \(Standard print, 3 packs\)", result.output)
    assert re.search(r"Batch \d+: 26 pages, file batches/batch-\d+\.pdf", result.output)
    assert "No packs are ready to print." in app.test_cli_runner().invoke(args=["print", "run"]).output


def test_blank_packs_for_a_closed_consultation_need_saying_so(client, staff, app):
    staff.sign_in(Role.SUPERVISOR)
    with app.app_context():
        closed_id = make_consultation(open_now=False, title="A closed one").id
        strict_id = make_consultation(open_now=False, title="A strict one", takes_late_replies=False).id
    data = {"consultation_id": closed_id, "count": "2", "format": "standard"}
    refused = client.post(
        "/print-batches/blank-packs", data=dict(data, csrf_token=csrf_token(client, "/print-batches"))
    )
    page = refused.get_data(as_text=True)
    assert refused.mimetype == "text/html" and "Confirm that you want blank packs" in page
    assert 'id="closed_ok"' in page and 'value="2"' in page
    confirmed = client.post(
        "/print-batches/blank-packs",
        data=dict(data, closed_ok="yes", csrf_token=csrf_token(client, "/print-batches")),
    )
    assert confirmed.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(confirmed.data)).pages[0].extract_text()
    assert "closed on" in " ".join(text.split()) and "reach us by" not in text
    strict = client.post(
        "/print-batches/blank-packs",
        data=dict(data, consultation_id=strict_id, closed_ok="yes", csrf_token=csrf_token(client, "/print-batches")),
    )
    assert "takes no late replies" in strict.get_data(as_text=True)
    with app.app_context():
        make_consultation("closed-cli", open_now=False)
    runner = app.test_cli_runner()
    command = ["packs", "blank", "--consultation", "closed-cli", "--count", "1", "-o", "/dev/null"]
    refused = runner.invoke(args=command)
    assert refused.exit_code != 0 and "--closed-ok" in refused.output
    assert runner.invoke(args=[*command, "--closed-ok"]).exit_code == 0


def test_cli_says_a_braille_or_audio_pack_has_no_printed_pack(app, tmp_path):
    with app.app_context():
        reference = make_request(make_consultation("cli-braille"), print_format=PrintFormat.BRAILLE).packs[0].reference
    result = app.test_cli_runner().invoke(args=["packs", "render", reference, "-o", str(tmp_path / "pack.pdf")])
    assert result.exit_code == 1 and "is braille: it has no printed pack" in result.output
