"""Fixtures for the pack renderer's tests: consultation facts, a PackContent factory and a PDF reader."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pdfplumber
import pytest

from service.packs.content import ConsultationFacts, PackContent
from service.packs.render import render_pack
from service.questionnaires.definition import load_consultation_facts

REFERENCE = "4829135570"


@pytest.fixture(scope="session")
def facts() -> ConsultationFacts:
    return ConsultationFacts.from_facts(load_consultation_facts("lcr-digital-strategy-2021"))


@pytest.fixture
def make_content(facts):
    """Build a PackContent with sensible defaults; override any field."""

    def make(**overrides) -> PackContent:
        content = PackContent(
            reference=REFERENCE,
            format="standard",
            recipient_name="Siân Jones",
            address_lines=("12 Hope Street", "Liverpool", "L1 9BQ"),
            letter_date=date(2020, 12, 2),
            consultation=facts,
        )
        return replace(content, **overrides)

    return make


@pytest.fixture
def read_pack():
    """Render a PackContent (or read PDF bytes) and open it with pdfplumber; closed after the test."""
    opened = []

    def read(content_or_bytes):
        data = content_or_bytes if isinstance(content_or_bytes, bytes) else render_pack(content_or_bytes)
        pdf = pdfplumber.open(io.BytesIO(data))
        opened.append(pdf)
        return pdf

    yield read
    for pdf in opened:
        pdf.close()
