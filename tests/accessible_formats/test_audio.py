"""The audio copy, checked without speech-to-text: its transcript, length, sample rate and loudness."""

from __future__ import annotations

import re

import pytest

from service.accessible_formats.audio import LOUDNESS_LUFS, SAMPLE_RATE_HZ, make_audio, speakable
from service.accessible_formats.tools import audio_tools
from tests.accessible_formats.reading import integrated_loudness, probe, sample_content


@pytest.fixture(scope="module")
def audio(app, tmp_path_factory):
    with app.app_context():
        tools = audio_tools()
    assert tools.available, tools.missing_reason
    made = make_audio(sample_content(), tools)
    path = tmp_path_factory.mktemp("audio") / "copy.mp3"
    path.write_bytes(made.mp3)
    return made, path


def test_an_mp3_at_the_stated_sample_rate_mono(audio):
    _, path = audio
    stream = probe(path)["streams"][0]
    assert stream["codec_name"] == "mp3"
    assert int(stream["sample_rate"]) == SAMPLE_RATE_HZ
    assert stream["channels"] == 1


def test_it_opens_with_title_who_from_contents_and_a_true_running_time(audio):
    made, path = audio
    opening = made.transcript.splitlines()[:5]
    content = sample_content()
    assert opening[0] == speakable(content.consultation.title) + "."
    assert opening[1] == f"From {content.consultation.organisation}."
    assert "4 8 2, 9 1 3, 5 5 7 0" in opening[2]
    assert f"a questionnaire of {len(content.questionnaire.questions)} questions" in opening[3]
    minutes = int(re.fullmatch(r"Running time: about (\d+) minutes?\.", opening[4]).group(1))
    seconds = float(probe(path)["format"]["duration"])
    assert abs(seconds - made.duration_seconds) < 1
    assert abs(minutes * 60 - seconds) <= 30  # "about N minutes" is the nearest minute


def test_its_length_is_plausible_for_the_words_read(audio):
    made, _ = audio
    words = len(made.transcript.split())
    per_minute = words / (made.duration_seconds / 60)
    # espeak-ng is asked for 160 words a minute; pauses between questions and spelled-out numbers slow it.
    assert 90 <= per_minute <= 190, per_minute


def test_transcript_reads_every_question_with_its_number_and_option_codes(audio):
    made, _ = audio
    lines = made.transcript.splitlines()
    position = 0
    for question in sample_content().questionnaire.questions:
        heading = f"Question {question.number}. {speakable(question.text)}"
        position = lines.index(heading, position)
        expected = [f"Code {o.code}: {speakable(o.label)}." for o in question.options]
        following = [line for line in lines[position + 1 : position + 3 + len(expected)] if line.startswith("Code ")]
        assert following == expected, question.number
    assert any(line.startswith("By phone: ring 0 1 5 1, 3 3 0, 1 2 4 9") for line in lines)
    assert any(line.startswith("Online: you can answer the same questions at the web address") for line in lines)


def test_loudness_is_normalised(audio):
    _, path = audio
    assert abs(integrated_loudness(path) - LOUDNESS_LUFS) <= 1.0
