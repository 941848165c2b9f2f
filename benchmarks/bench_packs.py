"""Packs per second: the cached-layout renderer against the same pages built from scratch with platypus.

    python -m benchmarks.bench_packs [--packs 1000] [--format standard|large_print]

The baseline is an ordinary platypus build per pack: the same flowables (letter, return page,
questionnaire from its definition), the same frames, the same personal parts and stamps, one pass,
with "Page x of y" filled in at save time (the usual deferred-canvas recipe). Both render to separate
PDF bytes per pack; a third row shows many packs drawn into one print-batch file.
"""

from __future__ import annotations

import argparse
import io
import time
from datetime import date

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, FrameBreak, NextPageTemplate, PageBreak, PageTemplate
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.frames import Frame

from service.packs.content import ConsultationFacts, PackContent
from service.packs.flowables import para
from service.packs.fonts import REGULAR, register_fonts
from service.packs.layout import CONTENT_FRAME, CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM, PAGE_SIZE, Rect, to_points
from service.packs.letter import (
    draw_address,
    draw_contact_column,
    draw_salutation,
    letter_first_frame,
    letter_flowables,
    letter_pages,
    organisation_heading,
)
from service.packs.questionnaire_pages import questionnaire_flowables
from service.packs.render import draw_pack, new_canvas, pack_page_count, render_pack
from service.packs.return_page import return_page_frames
from service.packs.stamps import BLANK_PAGE_TEXT, draw_stamps
from service.questionnaires.definition import load_consultation_facts, parse_definition
from service.reference import check_digit, format_reference

NAMES = ("Siân Jones", "Zoë Williams", "Patrick O'Brien-Łukasz", "Nguyễn Thị Lan", "Margaret Ellis")


def packs(facts: ConsultationFacts, fmt: str, count: int) -> list[PackContent]:
    """`count` personalised packs with distinct, valid references."""
    out = []
    for i in range(count):
        body = f"{482913557 + i * 7919:09d}"[-9:]
        out.append(
            PackContent(
                reference=body + check_digit(body),
                format=fmt,
                recipient_name=NAMES[i % len(NAMES)],
                address_lines=(f"{i + 1} Hope Street", "Liverpool", f"L{i % 30 + 1} {i % 9}BQ"),
                letter_date=date(2020, 12, 2),
                consultation=facts,
            )
        )
    return out


# --- the baseline: platypus from scratch for every pack ---------------------------------------------


def _frame(rect: Rect, frame_id: str) -> Frame:
    return Frame(rect.x, rect.y, rect.width, rect.height, 0, 0, 0, 0, id=frame_id, showBoundary=0)


class _QuestionnaireStarts(Flowable):
    """Zero-size marker: notes the page the questionnaire starts on, so it can start a new sheet."""

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        self.canv.questionnaire_starts = self.canv.getPageNumber()


class _DeferredCanvas(Canvas):
    """Keeps pages until save, then stamps "Page x of y" and adds the duplex blank pages."""

    def __init__(self, *args, content: PackContent, **kwargs):
        super().__init__(*args, **kwargs)
        self.content = content
        self.pages: list[dict] = []
        self.questionnaire_starts = 0
        stamp = f"D:{content.letter_date:%Y%m%d}090000+00'00'"
        self.setDateFormatter(lambda *_: stamp)

    def showPage(self):
        self.pages.append(dict(self.__dict__))
        self._startPage()

    def _blank(self, number: int, total: int) -> None:
        text = para(BLANK_PAGE_TEXT, self.content.format)
        text.wrap(400, 100)
        text.drawOn(self, *to_points(CONTENT_LEFT_FROM_LEFT_OF_PAGE_MM, 140))
        draw_stamps(self, self.content.reference, number, total, self.content.format)
        Canvas.showPage(self)

    def save(self):
        starts = self.questionnaire_starts  # read before page states are restored below
        front = starts - 1
        pad_front = front % 2
        total = len(self.pages) + pad_front
        pad_back = total % 2
        total += pad_back
        number = 0
        for index, state in enumerate(self.pages, start=1):
            if index == starts and pad_front:
                number += 1
                self._blank(number, total)
            self.__dict__.update(state)
            number += 1
            draw_stamps(self, self.content.reference, number, total, self.content.format)
            Canvas.showPage(self)
        if pad_back:
            self._blank(number + 1, total)
        Canvas.save(self)


def render_pack_platypus(content: PackContent, questionnaire_yaml: dict) -> bytes:
    """The same pack, built from scratch with platypus."""
    register_fonts()
    facts, fmt = content.consultation, content.format
    questionnaire = parse_definition(questionnaire_yaml)

    def first_page(canvas, doc):
        heading = organisation_heading(facts, fmt)
        heading.flowable.drawOn(canvas, heading.x, heading.y)
        draw_address(canvas, content)
        draw_contact_column(canvas, content, format_reference(content.reference))
        draw_salutation(canvas, content)

    wording = content.wording
    return_frames = return_page_frames(facts, fmt, wording)
    label_page = len(letter_pages(facts, fmt, wording)) + 1  # as the cached renderer names it
    doc = BaseDocTemplate(
        io.BytesIO(),
        pagesize=PAGE_SIZE,
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,
        initialFontSize=12,
        title=f"{facts.title}: survey pack",
        author="survey line",
        creator="survey line",
        subject="Paper survey pack",
    )
    doc.addPageTemplates(
        [
            PageTemplate("letter_first", [_frame(letter_first_frame(fmt), "body")], onPage=first_page),
            PageTemplate("plain", [_frame(CONTENT_FRAME, "body")]),
            PageTemplate("return", [_frame(rect, f"r{i}") for i, (_, rect) in enumerate(return_frames)]),
        ]
    )
    story: list[Flowable] = [
        NextPageTemplate("plain"),
        *letter_flowables(facts, fmt, wording, label_page),
        NextPageTemplate("return"),
    ]
    story.append(PageBreak())
    for i, (flowables, _) in enumerate(return_frames):
        story += [*flowables, FrameBreak()] if i < len(return_frames) - 1 else flowables
    story += [NextPageTemplate("plain"), PageBreak(), _QuestionnaireStarts()]
    story += questionnaire_flowables(questionnaire, fmt)
    out = io.BytesIO()
    doc.filename = out
    doc.build(story, canvasmaker=lambda *a, **k: _DeferredCanvas(*a, content=content, **k))
    return out.getvalue()


# --- the run -------------------------------------------------------------------------------------


def _interleaved(contents: list[PackContent], renderers: dict, rounds: int = 5) -> dict[str, float]:
    """Packs per second of each renderer, run in alternating rounds so drift in machine load hits all alike."""
    seconds = dict.fromkeys(renderers, 0.0)
    for r in range(rounds):
        chunk = contents[r::rounds]
        for label, render in renderers.items():
            started = time.perf_counter()
            render(chunk)
            seconds[label] += time.perf_counter() - started
    return {label: len(contents) / spent for label, spent in seconds.items()}


BASELINE = "platypus from scratch, one PDF per pack"
CACHED = "cached layout + forms, one PDF per pack"
BATCH = "cached layout + forms, one batch PDF"


def measure(count: int = 1000, fmt: str = "standard") -> tuple[int, dict[str, float]]:
    """Pages per pack, and packs per second of each renderer (the baseline first) for `count` packs."""
    raw = load_consultation_facts("lcr-digital-strategy-2021")
    facts = ConsultationFacts.from_facts(raw)
    import yaml

    from service.questionnaires.definition import PDF_TEMPLATES

    questionnaire_yaml = yaml.safe_load((PDF_TEMPLATES / facts.questionnaire_file).read_text(encoding="utf-8"))
    contents = packs(facts, fmt, count)

    # Same pages either way: check one pack before timing (also warms the per-process layout cache).
    cached, baseline = render_pack(contents[0]), render_pack_platypus(contents[0], questionnaire_yaml)
    cached_pages = [sorted(p.extract_text().splitlines()) for p in PdfReader(io.BytesIO(cached)).pages]
    baseline_pages = [sorted(p.extract_text().splitlines()) for p in PdfReader(io.BytesIO(baseline)).pages]
    assert cached_pages == baseline_pages, "baseline and cached renderer print different pages"

    def batch(chunk):
        canvas = new_canvas(io.BytesIO(), date(2020, 12, 2))
        for content in chunk:
            draw_pack(canvas, content)
        canvas.save()

    rates = _interleaved(
        contents,
        {
            BASELINE: lambda chunk: [render_pack_platypus(c, questionnaire_yaml) for c in chunk],
            CACHED: lambda chunk: [render_pack(c) for c in chunk],
            BATCH: batch,
        },
    )
    return pack_page_count(facts, fmt), rates


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", type=int, default=1000)
    parser.add_argument("--format", choices=("standard", "large_print"), default="standard")
    args = parser.parse_args(argv)

    pages, rates = measure(args.packs, args.format)
    baseline_rate = rates[BASELINE]
    print(f"{args.packs} {args.format} packs, {pages} pages each")
    print(f"{'renderer':<42} {'packs/s':>9} {'vs baseline':>12}")
    for label, rate in rates.items():
        print(f"{label:<42} {rate:>9.1f} {rate / baseline_rate:>11.2f}x")


if __name__ == "__main__":
    main()
