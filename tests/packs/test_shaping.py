"""Names in scripts that must be shaped: joined, in the right order, in the window and in "Dear ...".

Read back with poppler's pdftotext, which puts right-to-left text back in the order it was typed, and from the
drawn glyphs themselves (what shapes were drawn, in which order on the page).
"""

from __future__ import annotations

import subprocess
import unicodedata

import pytest

from service.packs.fonts import ARABIC, BENGALI, GURMUKHI, HEBREW, REGULAR
from service.packs.postal_rules import WINDOW_WIDTH_PT, window_problems
from service.packs.render import render_pack
from service.packs.shaping import address_line_gaps, line_extent, string_width, visual_runs
from tests.packs.glyphs import printed_as_notdef

ARABIC_FORMS = range(0xFB50, 0xFF00)  # presentation forms: the initial, medial and final shapes of joined letters

NAMES = [
    # (name as typed, its script's font)
    ("محمد علي", ARABIC),
    ("فاطمة الزهراء", ARABIC),
    ("عمران خان", ARABIC),  # Urdu
    ("پرویز ہاشمی", ARABIC),  # Urdu letters peh, heh goal, farsi yeh
    ("דוד כהן", HEBREW),
    ("שרה לוי", HEBREW),
    ("রহিম উদ্দিন", BENGALI),
    ("ক্ষিতি সেন", BENGALI),
    ("ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", GURMUKHI),
    ("ਹਰਜੀਤ ਕੌਰ", GURMUKHI),
]


def pdftotext_page_1(pdf: bytes, tmp_path, window: bool = False) -> list[str]:
    """Page 1 as poppler reads it (the envelope window alone with `window`), NFKC-normalised."""
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    crop = ["-x", "69", "-y", "112", "-W", "272", "-H", "76"] if window else []  # 24.6-120 mm by 39.5-66.3 mm
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", *crop, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Without the direction marks poppler puts around right-to-left text, or the mark standing for a second
    # glyph of one cluster.
    return [
        "".join(ch for ch in unicodedata.normalize("NFKC", line) if unicodedata.category(ch) != "Cf").strip()
        for line in text.splitlines()
    ]


@pytest.mark.parametrize("fmt", ["standard", "large_print"])
@pytest.mark.parametrize(("name", "font"), NAMES, ids=[name for name, _ in NAMES])
def test_the_name_prints_in_its_script_font_without_an_empty_box(make_content, name, font, fmt, tmp_path):
    assert window_problems([name, "12 Hope Street", "Liverpool", "L1 9BQ"]) == {}
    assert [run_font for run_font, _ in visual_runs(name)] == [font]
    pdf = render_pack(make_content(recipient_name=name, format=fmt))
    assert printed_as_notdef(pdf) == []
    window = pdftotext_page_1(pdf, tmp_path, window=True)
    assert window[1:4] == ["12 Hope Street", "Liverpool", "L1 9BQ"]
    page = pdftotext_page_1(pdf, tmp_path)
    if font in (ARABIC, HEBREW):  # poppler reads right-to-left text back in the order it was typed
        assert window[0] == name
        assert f"Dear {name}," in page
    else:  # vowel signs read back where they print: the same letters, whatever their order
        assert sorted(window[0]) == sorted(name)
        assert any(line.startswith("Dear ") and sorted(line[5:-1]) == sorted(name) for line in page)


def test_lines_below_an_arabic_name_keep_clear_of_its_tails():
    gaps = address_line_gaps(["محمد علي", "12 Hope Street", "Liverpool", "L1 9BQ"])
    assert gaps[0] > gaps[1] == gaps[2] == 1.2  # more room under the name only; Latin lines as before
    bottom_of_name = line_extent("محمد علي")[1]
    top_of_next = line_extent("12 Hope Street")[0]
    assert gaps[0] >= -bottom_of_name + top_of_next + 0.15


def test_arabic_letters_are_joined_and_drawn_right_to_left():
    ((font, drawn),) = visual_runs("محمد علي")
    assert font == ARABIC
    assert all(ord(ch) in ARABIC_FORMS or ch == " " for ch in drawn)  # every letter in its joined shape
    # Drawn left to right as seen: the second word first, each word's last letter first.
    assert unicodedata.normalize("NFKC", drawn) == "يلع دمحم"
    # "Muhammad" is four joined letters, not the discretionary ligature with vowel marks nobody typed.
    assert "\ufdf4" not in drawn


def test_a_mixed_line_keeps_latin_left_to_right_and_the_arabic_name_right_to_left():
    runs = visual_runs("Flat 3, برج الزهراء")
    assert [font for font, _ in runs] == [REGULAR, ARABIC]
    assert runs[0][1] == "Flat 3, "
    assert unicodedata.normalize("NFKC", runs[1][1]) == "ءارهزلا جرب"


def test_a_bengali_conjunct_is_one_glyph_and_reads_back_as_its_letters(make_content, tmp_path):
    ((_, drawn),) = visual_runs("উদ্দিন")
    assert len(drawn) < len("উদ্দিন")  # দ্দ drawn as one conjunct, not দ, virama, দ
    pdf = render_pack(make_content(recipient_name="রহিম উদ্দিন"))
    assert sorted(pdftotext_page_1(pdf, tmp_path, window=True)[0]) == sorted("রহিম উদ্দিন")


def test_the_window_rule_measures_the_shaped_line():
    name = "عبد الرحمن بن محمد بن عبد الله الحسيني"
    assert window_problems([name, "1 Hope St", "L1 9BQ"]) == {}
    too_long = f"{name} {name} {name}"
    assert string_width(too_long, 8) > WINDOW_WIDTH_PT
    assert "too long to fit the envelope window" in window_problems([too_long, "1 Hope St", "L1 9BQ"])[0]


def test_seven_arabic_lines_print_when_they_fit_and_are_refused_when_too_tall(make_content):
    plain = ["محمد علي", "شقة ٣", "برج الزهراء", "شارع الأمل", "حي النور", "ليفربول", "L1 9BQ"]
    assert window_problems(plain) == {}
    pdf = render_pack(make_content(recipient_name=plain[0], address_lines=tuple(plain[1:])))
    assert printed_as_notdef(pdf) == []
    # Fully vowelled, the marks above and the tails below need more room than the window has at 8 pt: refused
    # at intake, where the renderer would otherwise fail the pack.
    vowelled = ["مُحَمَّدٌ عَلِيٌّ", "شُقَّةٌ يُّ", "بُرْجُ الزَّهْرَاءِ", "شَارِعُ الْأَمَلِ", "حَيُّ النُّورِ", "لِيفَرْبُولُ", "L1 9BQ"]
    assert "too tall together" in window_problems(vowelled)[-1]


@pytest.mark.parametrize(
    ("name", "character"),
    [("முருகன்", "ம"), ("ܐܦܪܝܡ", "ܐ"), ("สมชาย", "ส"), ("김민준", "김")],
    ids=["Tamil", "Syriac", "Thai", "Korean"],
)
def test_a_script_the_pack_cannot_shape_is_refused_naming_the_character(name, character):
    problem = window_problems([name, "12 Hope Street", "L1 9BQ"])[0]
    assert f"cannot print “{character}”" in problem and "Latin letters" in problem


@pytest.mark.parametrize(
    "line", ["ি", "ਿਕ", "রহিম ি"], ids=["Bengali sign alone", "Gurmukhi sign first", "after a space"]
)
def test_a_vowel_sign_with_no_letter_is_refused_rather_than_printed_on_a_dotted_circle(line):
    problem = window_problems([line, "12 Hope Street", "L1 9BQ"])[0]
    assert "no letter before it" in problem
