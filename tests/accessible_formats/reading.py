"""Reading braille and audio copies back, as a checker would: pages, lines, back-translation, loudness."""

from __future__ import annotations

import difflib
import json
import re
import subprocess
from datetime import date

from service.accessible_formats.braille import CONTINUATION, translate
from service.accessible_formats.document import AccessibleContent
from service.accessible_formats.tools import Tools
from service.packs.content import ConsultationFacts
from service.questionnaires.definition import load_consultation_facts, load_questionnaire

SLUG = "lcr-digital-strategy-2021"


def sample_content(reference: str = "4829135570", name: str | None = "Jane Smith") -> AccessibleContent:
    facts = ConsultationFacts.from_facts(load_consultation_facts(SLUG))
    return AccessibleContent(reference, name, date(2026, 11, 29), facts, load_questionnaire(facts.questionnaire_file))


def brf_pages(brf: bytes) -> list[list[str]]:
    """The lines of each page (a form feed ends every page; CR LF ends every line)."""
    text = brf.decode("ascii")
    assert text.endswith("\r\n\f"), "the last page does not end with a form feed"
    return [page.removesuffix("\r\n").split("\r\n") for page in text.split("\f")[:-1]]


def brf_paragraphs(brf: bytes) -> list[str]:
    """The braille text without page-number lines, a paragraph per blank-line-separated block,
    lines divided with the continuation indicator joined again."""
    paragraphs, current = [], ""
    for page in brf_pages(brf):
        for line in page[1:]:
            line = line.strip()
            if not line:
                if current:
                    paragraphs.append(current)
                current = ""
            elif line.endswith(CONTINUATION):
                current += line.removesuffix(CONTINUATION)
            else:
                current += line + " "
        # A block may run on to the next page; the next page's text continues it.
    if current:
        paragraphs.append(current)
    return paragraphs


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("&", " and "))


def back_translation_differences(tools: Tools, brf: bytes, source_texts: list[str]) -> list[tuple]:
    """Where the UEB back-translation of `brf` differs, word by word, from the print it was made from."""
    back = translate(tools, brf_paragraphs(brf), backward=True)
    source, got = words(" ".join(source_texts)), words(" ".join(back))
    matcher = difflib.SequenceMatcher(a=source, b=got, autojunk=False)
    return [(source[a1:a2], got[b1:b2]) for op, a1, a2, b1, b2 in matcher.get_opcodes() if op != "equal"]


# liblouis reads UEB's colon (dots 2-5) after "https" back as the "cc" contraction: a limit of its
# back-translator, not of the braille (the same cell is the colon in every web address).
KNOWN_BACK_TRANSLATION_QUIRKS = [(["https"], ["httpscc"])]


def probe(path) -> dict:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name,sample_rate,channels:format=duration",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def integrated_loudness(path) -> float:
    """EBU R128 integrated loudness (LUFS), measured by ffmpeg's ebur128 filter."""
    err = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    summary = err[err.rindex("Summary:") :]
    return float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
