"""The acceptance table of issue 13: hostile and real names and addresses through the request form.

Each is either refused at intake with a message beside the field (and what was typed kept), or saved, rendered
by the worker's own job, and read back from the PDF: the window holds exactly what was typed (tidied), no
character prints as an empty box, and the lines read back pass the same postal rules.
"""

from __future__ import annotations

import html
import io
import re

import pdfplumber
import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import PaperRequest, RequestStatus, Role
from service.packs.postal_rules import window_problems
from tests.conftest import csrf_token
from tests.factories import make_consultation, stored_pack_pdf
from tests.packs.glyphs import printed_as_notdef
from tests.packs.pdf_rules import WINDOW
from workers.jobs import render_request_packs

MM = 72 / 25.4
CAPITALS_100 = "MARIA DEL CARMEN FERNANDEZ-WHITWORTH DE LA CRUZ OKONKWO-MONTGOMERY ABERNETHY-WILLOUGHBY SMYTHE JR"
NAME_88 = "Christopher Alexander Montgomery-Whitworth Fitzwilliam-Abernethy Okonkwo-Featherstonehaugh"

REFUSED = [
    # (case, field, typed, words of the message beside the field)
    ("name of spaces", "name", "   ", "is empty"),
    ("line 1 of spaces", "address_line_1", "   ", "is empty"),
    ("town of spaces", "town", "  ", "is empty"),
    ("formula name", "name", '=HYPERLINK("http://evil.example","x")', "Remove “=”"),
    ("bracket first", "address_line_1", "(Basement Flat) 12 Canning Street", "cannot start with “(”"),
    ("at sign first", "name", "@jonesy", "cannot start with “@”"),
    ("slash first", "town", "/Liverpool", "cannot start with “/”"),
    ("comma first", "address_line_2", ",Flat 2", "cannot start with “,”"),
    ("quote first", "address_line_2", '"The Willows"', "cannot start with"),
    ("only dots", "address_line_2", "...", "not only punctuation"),
    ("only dashes", "address_line_1", "-- --", "not only punctuation"),
    ("fifty capital Ws", "address_line_1", "W" * 50, "too long to fit the envelope window"),
    ("100-character name in capitals", "name", CAPITALS_100, "too long to fit the envelope window"),
    ("88-character name", "name", NAME_88, "too long to fit the envelope window"),
    ("Korean (no font has it yet)", "name", "김민준", "cannot print “김”"),
    ("Arabic", "name", "محمد علي", "spell this in Latin letters"),
    ("Urdu", "name", "عمران خان", "spell this in Latin letters"),
    ("Hebrew", "name", "דוד כהן", "spell this in Latin letters"),
    ("Bengali", "name", "সুমন দাস", "spell this in Latin letters"),
    ("Gurmukhi", "name", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "spell this in Latin letters"),
    ("emoji", "name", "Rahim 😀", "Remove “😀”"),
    ("NUL byte", "name", "Ann\x00Smith", "cannot be printed"),
    ("zero-width space", "address_line_1", "12 Hope\u200bStreet", "cannot be printed"),
    ("no fixed abode", "address_line_1", "No fixed abode", "no fixed abode"),
    ("NFA", "address_line_2", "NFA", "no fixed abode"),
]

PRINTED = [
    # (case, the fields typed; the window lines expected back are the same, tidied)
    ("Welsh", {"name": "Siân Llwyd", "address_line_1": "Tŷ Gwyn, Ffordd yr Orsaf", "town": "Llanfairpwllgwyngyll"}),
    ("Welsh circumflexes", {"name": "Gwenllïan ap Dafydd", "address_line_1": "Bryn Ŵy, Heol y Frân"}),
    ("Vietnamese", {"name": "Nguyễn Thị Minh Khai", "address_line_1": "12 Hope Street"}),
    ("Vietnamese decomposed", {"name": "Nguye\u0302\u0303n Văn An"}),
    ("Polish", {"name": "Grzegorz Brzęczyszczykiewicz", "address_line_1": "Flat 2, Łąkowa House"}),
    ("Irish", {"name": "Siobhán Ní Bhriain", "address_line_2": "Teach Uí Shúilleabháin"}),
    ("Irish O'", {"name": "Seán Ó Súilleabháin O'Brien"}),
    ("Greek", {"name": "Γιώργος Παπαδόπουλος"}),
    ("Cyrillic", {"name": "Олена Шевченко"}),
    ("Arabic in Latin letters", {"name": "Muhammad Ali al-Rashid"}),
    ("Chinese in Latin letters", {"name": "Zhang Wei"}),
    ("Chinese", {"name": "张伟"}),
    ("Chinese and Latin", {"name": "王秀英 (Wang Xiuying)"}),
    ("Japanese", {"name": "佐藤 花子"}),
    ("Turkish", {"name": "Şükrü Çağlar Öztürk"}),
    ("German", {"name": "Jürgen Müller-Lüdenscheidt"}),
    ("Spanish", {"name": "José María Núñez"}),
    ("Nordic", {"name": "Zoë D'Arcy-Ødegård"}),
    ("ampersand", {"name": "Mr & Mrs J. Smith"}),
    ("basement flat written so it posts", {"address_line_1": "Basement Flat, 12 Canning Street"}),
    ("slash inside", {"address_line_1": "1/2 Hope Street"}),
    ("trailing comma", {"address_line_1": "12 Hope Street,"}),
    ("spaces tidied", {"name": "  Siân    Jones  "}),
    ("six lines", {"address_line_2": "Rose Court", "address_line_3": "Wavertree Technology Park"}),
    ("longest name that fits", {"name": "Christopher Alexander Montgomery-Whitworth"}),
    ("long line that fits", {"address_line_1": "Flat 14B, The Old Mill, Upper Parliament Street"}),
    ("capitals that fit", {"name": "MARIA FERNANDEZ-WHITWORTH OKONKWO", "town": "LIVERPOOL"}),
    ("lower-case postcode", {"postcode": "l19bq"}),
]

BASE = {
    "name": "Siân Roberts",
    "address_line_1": "12 Hope Street",
    "address_line_2": "",
    "address_line_3": "",
    "town": "Liverpool",
    "postcode": "L1 9BQ",
    "phone": "",
    "format": "standard",
    "language": "",
    "copies": "1",
    "notes": "",
}


def test_the_table_has_at_least_forty_cases():
    assert len(REFUSED) + len(PRINTED) >= 40


@pytest.fixture
def consultation(app_ctx):
    return make_consultation("open-one")


@pytest.fixture
def handler(staff):
    return staff.sign_in(Role.CALL_HANDLER)


def submit(client, consultation, fields):
    data = dict(BASE, **fields, consultation_id=str(consultation.id))
    data["csrf_token"] = csrf_token(client, "/requests/new")
    return client.post("/requests/new", data=data)


@pytest.mark.parametrize(("case", "field", "typed", "message"), REFUSED, ids=[row[0] for row in REFUSED])
def test_refused_at_intake_beside_the_field(client, consultation, handler, case, field, typed, message):
    response = submit(client, consultation, {field: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', page, re.S)
    assert error, f"no message beside {field}"
    assert message in html.unescape(error.group(1))
    kept = re.search(rf'id="{field}" name="{field}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*id="{field}"', page
    )
    assert kept and html.unescape(kept.group(1)) == typed  # what was typed is kept, exactly
    assert db.session.scalars(select(PaperRequest)).all() == []


def window_lines(pdf: bytes) -> list[str]:
    """The lines printed in the envelope window; every character of them lies inside it."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        window = page.crop((24.6 * MM, 39.5 * MM, 120 * MM, 66.3 * MM))
        lines = window.extract_text_lines()
        band = [c for c in page.chars if c["text"].strip() and c["top"] < 95 * MM and c["x0"] < 122 * MM]
        assert band and all(WINDOW.holds(c) for c in band if c["top"] > 30 * MM)
        return [" ".join(line["text"].split()) for line in lines]


@pytest.mark.parametrize(("case", "fields"), PRINTED, ids=[row[0] for row in PRINTED])
def test_saved_and_printed_exactly(client, consultation, handler, case, fields):
    response = submit(client, consultation, fields)
    assert response.status_code == 302, re.findall(r'class="error-message"[^>]*>(.*?)</p>', response.get_data(True))
    (request,) = db.session.scalars(select(PaperRequest)).all()
    assert render_request_packs(request.id) == "rendered"
    db.session.expire_all()
    assert db.session.get(PaperRequest, request.id).status == RequestStatus.PACK_READY
    pdf = stored_pack_pdf(request.packs[0])
    typed = dict(BASE, **fields)
    expected = [
        " ".join(__import__("unicodedata").normalize("NFC", typed[key]).split())
        for key in ("name", "address_line_1", "address_line_2", "address_line_3", "town")
        if typed[key].strip()
    ] + ["L1 9BQ"]
    read_back = window_lines(pdf)
    assert read_back == expected
    assert printed_as_notdef(pdf) == []
    assert window_problems(read_back) == {}
