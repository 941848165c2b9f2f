"""The acceptance table of issue 13: hostile and real names and addresses through the request form.

Each is either refused at intake with a message beside the field (and what was typed kept), or saved, rendered
by the worker's own job, and read back from the PDF: the window holds exactly what was typed (tidied), no
character prints as an empty box, and the lines read back pass the same postal rules.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata

import pdfplumber
import pytest
from bidi import get_display
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
    # Scripts that must be shaped, which no font of the pack shapes: refused, naming the character.
    ("Tamil (not shaped yet)", "name", "முருகன் செல்வம்", "cannot print “ம”"),
    ("Syriac (right to left, no font)", "name", "ܐܦܪܝܡ", "spell this in Latin letters"),
    ("Thai (not shaped yet)", "name", "สมชาย ใจดี", "spell this in Latin letters"),
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
    # Shaped and ordered: joined Arabic letters right to left, Bengali and Gurmukhi conjuncts and vowel signs.
    ("Arabic", {"name": "محمد علي"}),
    ("Arabic with Allah", {"name": "عبد الله الحسن"}),
    ("Arabic address line", {"address_line_2": "برج الزهراء"}),
    ("Arabic and Latin", {"name": "Fatima فاطمة Hassan"}),
    ("Urdu", {"name": "عمران خان"}),
    ("Urdu letters", {"name": "پرویز ہاشمی"}),
    ("Hebrew", {"name": "דוד כהן"}),
    ("Hebrew with hyphen", {"name": "שרה בן-גוריון"}),
    ("Bengali", {"name": "সুমন দাস"}),
    ("Bengali conjuncts", {"name": "রহিম উদ্দিন"}),
    ("Gurmukhi", {"name": "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ"}),
    ("Gurmukhi Kaur", {"name": "ਹਰਜੀਤ ਕੌਰ"}),
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
    """The lines printed in the envelope window, left to right as drawn; every character of them lies inside it.

    Characters are grouped by their baseline (a line in two fonts has two heights of glyph box), then read in
    the order they stand on the page."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        band = [c for c in page.chars if c["top"] < 95 * MM and c["x0"] < 122 * MM and c["top"] > 30 * MM]
        assert band and all(WINDOW.holds(c) for c in band if c["text"].strip())
        baselines: dict[float, list] = {}
        for char in band:
            baselines.setdefault(round(char["matrix"][5], 1), []).append(char)
        lines = [
            "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
            for _, chars in sorted(baselines.items(), reverse=True)
        ]
        return [" ".join(line.split()) for line in lines]


def salutation_line(pdf: bytes) -> str:
    """The first line of the letter's body: "Dear ...,"."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        below = [c for c in page.chars if 93 * MM < c["top"] < 115 * MM]
        first = max(round(c["matrix"][5], 1) for c in below)
        chars = [c for c in below if round(c["matrix"][5], 1) == first]
        return " ".join("".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"])).split())


def as_read(drawn: str) -> str:
    """What a drawn line says in letters: presentation forms (joined Arabic shapes) as the letters they show, a
    ligature's letters in the order they are seen, the invisible mark of a second glyph of one cluster dropped."""
    out = []
    for ch in drawn:
        letters = unicodedata.normalize("NFKC", ch)
        out.append(
            letters[::-1] if len(letters) > 1 and unicodedata.bidirectional(letters[0]) in ("R", "AL") else letters
        )
    return "".join(ch for ch in "".join(out) if unicodedata.category(ch) != "Cf")


def indic(line: str) -> bool:
    return any("\u0980" <= ch <= "\u0a7f" for ch in line)  # Bengali, Gurmukhi


def reads_as_typed(drawn: str, typed: str) -> bool:
    """Right-to-left text reads back in visual order (the Unicode bidirectional algorithm's); Bengali and
    Gurmukhi vowel signs that print before their consonant read back where they print, so those lines are
    compared letter for letter, whatever the order."""
    read = as_read(drawn)
    if indic(typed):
        return sorted(read) == sorted(typed)
    return read == get_display(typed)


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
        " ".join(unicodedata.normalize("NFC", typed[key]).split())
        for key in ("name", "address_line_1", "address_line_2", "address_line_3", "town")
        if typed[key].strip()
    ] + ["L1 9BQ"]
    read_back = window_lines(pdf)
    assert len(read_back) == len(expected)
    assert all(reads_as_typed(drawn, typed) for drawn, typed in zip(read_back, expected, strict=True)), read_back
    assert printed_as_notdef(pdf) == []
    # The lines read back pass the same rules (a Bengali or Gurmukhi line as typed: read back in the order it
    # prints, a vowel sign stands before its letter, which the rule would take for a sign with no letter).
    checked = [typed if indic(typed) else as_read(drawn) for drawn, typed in zip(read_back, expected, strict=True)]
    assert window_problems(checked) == {}
    # "Dear ..." says the name too, shaped and in order, on the line below the window.
    salutation = salutation_line(pdf)
    assert reads_as_typed(salutation, f"Dear {expected[0]},") or salutation == "Dear resident,"
