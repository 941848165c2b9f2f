"""Braille and audio copies: how long each takes to make and how big it is, against the paper pack.

    python -m benchmarks.accessible_formats [--copies 3]

Each copy is made as the render job makes it (service/accessible_formats: liblouis for braille; espeak-ng
then ffmpeg's loudness normalisation and MP3 encoder for audio), for distinct references. Baselines in the
same run: the paper pack of the same reference rendered by render_pack (braille), and speech synthesis
alone, without normalising and encoding (audio).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from service.accessible_formats import audio, braille
from service.accessible_formats.document import AccessibleContent
from service.accessible_formats.tools import _audio_tools, _braille_tools
from service.packs.content import ConsultationFacts, PackContent
from service.packs.render import render_pack
from service.questionnaires.definition import load_consultation_facts, load_questionnaire
from service.reference import check_digit

SLUG = "lcr-digital-strategy-2021"


@dataclass(frozen=True)
class Figures:
    braille_seconds: float
    braille_kb: float
    braille_pages: int
    pack_seconds: float
    pack_kb: float
    audio_seconds: float
    speech_only_seconds: float
    mp3_mb: float
    wav_mb: float
    running_seconds: float


def _reference(i: int) -> str:
    body = f"{482913557 + i * 7919:09d}"[-9:]
    return body + check_digit(body)


def measure(copies: int = 3) -> Figures:
    """Make `copies` braille and audio copies and their baselines; medians of each."""
    path = os.environ.get("PATH", os.defpath)
    braille_tools, audio_tools = _braille_tools(path), _audio_tools(path)
    for tools in (braille_tools, audio_tools):
        if not tools.available:
            raise SystemExit(f"cannot measure: {tools.missing_reason}")
    facts = ConsultationFacts.from_facts(load_consultation_facts(SLUG))
    questionnaire = load_questionnaire(facts.questionnaire_file)
    times: dict[str, list[float]] = {"brf": [], "pack": [], "mp3": [], "speech": []}
    sizes: dict[str, list[float]] = {"brf": [], "pack": [], "mp3": [], "wav": []}
    pages, running = 0, 0.0
    render_pack(PackContent(_reference(99), "standard", "Warm Up", ("1 Road", "L1 9BQ"), date(2020, 12, 2), facts))
    for i in range(copies):
        reference, name = _reference(i), f"Caller Number {i}"
        content = AccessibleContent(reference, name, date(2020, 12, 2), facts, questionnaire)
        started = time.perf_counter()
        made = braille.make_braille(content, braille_tools)
        times["brf"].append(time.perf_counter() - started)
        sizes["brf"].append(len(made.brf) / 1024)
        pages = made.pages
        pack = PackContent(
            reference, "standard", name, ("1 Hope Street", "Liverpool", "L1 9BQ"), date(2020, 12, 2), facts
        )
        started = time.perf_counter()
        pdf = render_pack(pack)
        times["pack"].append(time.perf_counter() - started)
        sizes["pack"].append(len(pdf) / 1024)
        started = time.perf_counter()
        sound = audio.make_audio(content, audio_tools)
        times["mp3"].append(time.perf_counter() - started)
        sizes["mp3"].append(len(sound.mp3) / 1024 / 1024)
        running = sound.duration_seconds
        with tempfile.TemporaryDirectory() as folder:
            wav = Path(folder) / "speech.wav"
            started = time.perf_counter()
            audio._speak(audio_tools, audio.opening_segments(content, 9) + audio.body_segments(content), wav)
            times["speech"].append(time.perf_counter() - started)
            sizes["wav"].append(wav.stat().st_size / 1024 / 1024)
    m = {key: statistics.median(values) for key, values in times.items()}
    s = {key: statistics.median(values) for key, values in sizes.items()}
    return Figures(
        braille_seconds=m["brf"],
        braille_kb=s["brf"],
        braille_pages=pages,
        pack_seconds=m["pack"],
        pack_kb=s["pack"],
        audio_seconds=m["mp3"],
        speech_only_seconds=m["speech"],
        mp3_mb=s["mp3"],
        wav_mb=s["wav"],
        running_seconds=running,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3)
    print(measure(parser.parse_args().copies))


if __name__ == "__main__":
    main()
