"""Audio: the letter and questionnaire read in a British English voice (espeak-ng, offline), as an MP3.

It opens as UKAAF's audio standard asks: the title, who it is from, what it contains and its running
time. Each question is read with its number and each option with its code. The words read are kept as
a transcript beside the MP3, so what the recording says can be checked without speech-to-text.
Loudness is normalised to -19 LUFS, the usual level for mono spoken word (it sounds as loud as -16 LUFS
stereo), so every copy plays at the same volume: ffmpeg measures the integrated loudness and true peak (EBU R128), then one gain is applied, with a
limiter only if the gain would push a peak past -1.5 dBTP. Linear, so the voice is not reshaped, and a
third of the work of ffmpeg's single-pass loudnorm filter.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from service.accessible_formats.document import (
    AccessibleContent,
    Block,
    Heading,
    Listing,
    NewPage,
    Paragraph,
    QuestionBlock,
    document_blocks,
    grouped_reference,
    spoken_digits,
)
from service.accessible_formats.tools import Tools

VOICE = "en-gb"  # espeak-ng's British English
WORDS_PER_MINUTE = 160  # a little slower than espeak-ng's 175: a measured reading pace
SAMPLE_RATE_HZ = 22050
BITRATE = "48k"  # mono speech: about 0.36 MB a minute
LOUDNESS_LUFS = -19.0  # mono
TRUE_PEAK_DBTP = -1.5

_URL = re.compile(r"https?://\S+")
_RANGE = re.compile(r"(\d)\s*[-–]\s*(\d)")
_URL_SYMBOLS = {".": "dot", "/": "slash", "-": "dash", "_": "underscore", "?": "question mark", "=": "equals"}


@dataclass(frozen=True)
class Segment:
    text: str
    pause_ms: int  # silence after it


@dataclass(frozen=True)
class AudioFile:
    mp3: bytes
    transcript: str  # exactly what was read, one segment a line
    duration_seconds: float
    stated_minutes: int  # the running time the opening announces


def spelled_url(url: str) -> str:
    """A web address read out: letters and digits one by one, symbols by name."""
    address = re.sub(r"^https?://", "", url.rstrip(".,"))
    pieces = re.findall(r"[a-z]+|\d+|.", address, re.IGNORECASE)
    return ", ".join(" ".join(piece) if piece.isalnum() else _URL_SYMBOLS.get(piece, piece) for piece in pieces)


def speakable(text: str) -> str:
    """Text as it is read: `&` as "and", `2021-2023` as "2021 to 2023", web addresses spelled out."""
    text = _URL.sub(lambda match: "the web address " + spelled_url(match.group(0)), text)
    return " ".join(_RANGE.sub(r"\1 to \2", text.replace("&", "and")).split())


def _block_segments(block: Block) -> list[Segment]:
    match block:
        case NewPage():
            return []
        case Heading(text):
            return [Segment(speakable(text) + ".", 800)]
        case Paragraph(text):
            return [Segment(speakable(text), 600)]
        case Listing(lines):
            return [Segment(speakable(line) + ".", 350) for line in lines[:-1]] + [Segment(speakable(lines[-1]), 600)]
        case QuestionBlock():
            segments = [Segment(f"Question {block.number}. {speakable(block.text)}", 500)]
            if block.help:
                segments.append(Segment(speakable(block.help), 400))
            segments.append(Segment(block.how_to_answer, 400))
            segments += [Segment(f"Code {code}: {speakable(label)}.", 350) for code, label in block.options]
            return segments[:-1] + [Segment(segments[-1].text, 1200)]
    return []


def body_segments(content: AccessibleContent) -> list[Segment]:
    """Everything after the opening: the letter, then the questionnaire."""
    return [segment for block in document_blocks(content, "audio") for segment in _block_segments(block)]


def opening_segments(content: AccessibleContent, minutes: int) -> list[Segment]:
    """UKAAF's opening: title, who it is from, contents, running time."""
    facts, questionnaire = content.consultation, content.questionnaire
    parts = len(questionnaire.sections)
    return [
        Segment(f"{speakable(facts.title)}.", 500),
        Segment(f"From {facts.organisation}.", 500),
        Segment(
            f"This is an audio copy of our letter and survey, for reference "
            f"{spoken_digits(grouped_reference(content.reference))}.",
            500,
        ),
        Segment(
            f"It contains a letter, which says how to reply, then a questionnaire of "
            f"{len(questionnaire.questions)} questions in {parts} part{'s' if parts != 1 else ''}.",
            500,
        ),
        Segment(f"Running time: about {minutes} minute{'s' if minutes != 1 else ''}.", 1500),
    ]


def _ssml(segments: list[Segment]) -> str:
    body = "".join(f'{escape(s.text)}<break time="{s.pause_ms}ms"/>\n' for s in segments)
    return f"<speak>\n{body}</speak>\n"


def _speak(tools: Tools, segments: list[Segment], wav: Path) -> float:
    """Synthesise `segments` into `wav`; return its length in seconds."""
    ssml = wav.with_suffix(".ssml")
    ssml.write_text(_ssml(segments), encoding="utf-8")
    tools.run("espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-m", "-f", str(ssml), "-w", str(wav))
    with wave.open(str(wav), "rb") as sound:
        return sound.getnframes() / sound.getframerate()


def duration_seconds(tools: Tools, path: Path) -> float:
    """An audio file's length as ffprobe reads it."""
    out = tools.run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path))
    return float(json.loads(out)["format"]["duration"])


def loudness(tools: Tools, inputs: list[str], joined: str) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of the joined inputs, by ffmpeg's EBU R128 meter."""
    report = tools.run_for_log(
        "ffmpeg", "-hide_banner", "-nostats", "-nostdin", *inputs, "-filter_complex", f"{joined},ebur128=peak=true",
        "-f", "null", "-",
    )  # fmt: skip
    summary = report[report.rindex("Summary:") :]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if integrated is None or peak is None:
        raise ValueError("ffmpeg's loudness meter gave no reading")
    return float(integrated.group(1)), float(peak.group(1))


def normalising_filter(integrated: float, true_peak: float) -> str:
    """One gain to LOUDNESS_LUFS; a limiter (not auto-levelling) only if a peak would pass TRUE_PEAK_DBTP."""
    gain = LOUDNESS_LUFS - integrated
    volume = f"volume={gain:.2f}dB"
    if true_peak + gain <= TRUE_PEAK_DBTP:
        return volume
    return f"{volume},alimiter=limit={10 ** (TRUE_PEAK_DBTP / 20):.4f}:level=disabled"


def _minutes(seconds: float) -> int:
    return max(1, math.floor(seconds / 60 + 0.5))


def make_audio(content: AccessibleContent, tools: Tools) -> AudioFile:
    """The audio copy of the letter and questionnaire: an MP3 and the transcript of what it reads."""
    body = body_segments(content)
    with tempfile.TemporaryDirectory(prefix="survey-line-audio-") as folder:  # removed with what it holds
        work = Path(folder)
        body_seconds = _speak(tools, body, work / "body.wav")
        minutes = _minutes(body_seconds + 20)
        opening = opening_segments(content, minutes)
        opening_seconds = _speak(tools, opening, work / "opening.wav")
        if _minutes(body_seconds + opening_seconds) != minutes:  # the guess for the opening's length was off
            minutes = _minutes(body_seconds + opening_seconds)
            opening = opening_segments(content, minutes)
            _speak(tools, opening, work / "opening.wav")
        mp3 = work / "copy.mp3"
        parts = ["-i", str(work / "opening.wav"), "-i", str(work / "body.wav")]
        joined = "[0:a][1:a]concat=n=2:v=0:a=1"
        tools.run(
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-nostdin",
            *parts,
            "-filter_complex",
            f"{joined},{normalising_filter(*loudness(tools, parts, joined))}",
            "-ar",
            str(SAMPLE_RATE_HZ),
            "-ac",
            "1",
            "-codec:a",
            "libmp3lame",
            "-b:a",
            BITRATE,
            str(mp3),
        )
        transcript = "\n".join(segment.text for segment in opening + body) + "\n"
        return AudioFile(
            mp3=mp3.read_bytes(),
            transcript=transcript,
            duration_seconds=duration_seconds(tools, mp3),
            stated_minutes=minutes,
        )
