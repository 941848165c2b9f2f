"""`flask packs render|blank` and `flask print run`: one pack's PDF, blank packs, a print run with a progress bar."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from service.dao.audit import record_print_run
from service.dao.consultations import get_consultation_by_slug
from service.dao.printing import create_print_batch, load_batch, load_packs, ready_groups
from service.dao.requests import create_blank_packs, get_pack_by_reference
from service.models import PrintFormat
from service.models.types import utcnow
from service.packs.assemble import pack_content
from service.packs.render import render_pack
from service.personal_data.erasure import erased_notice
from service.print_batches.blank import blank_packs_problem, write_blank_packs
from service.print_batches.builder import build_batch_file
from service.reference import InvalidReference, parse_reference

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

PDF_FILE = click.Path(dir_okay=False, path_type=Path)


@click.command("render")
@click.argument("reference")
@click.option("--output", "-o", type=PDF_FILE, required=True, help="The PDF file to write.")
@with_appcontext
def render_pack_command(reference: str, output: Path) -> None:
    """Write one pack's PDF.

    REFERENCE as read to the caller; spaces are fine (482 913 5570).
    """
    try:
        pack = get_pack_by_reference(parse_reference(reference))
    except InvalidReference as problem:
        raise click.BadParameter(str(problem), param_hint="REFERENCE") from None
    if pack is None:
        raise click.ClickException("No pack has that reference")
    (pack,) = load_packs([pack.id])
    if pack.request is not None and (notice := erased_notice(pack.request.caller)):
        raise click.ClickException(f"{notice}: pack {reference} names nobody now, so it is not rendered")
    if pack.request is not None and not pack.request.format.printed_here:
        raise click.ClickException(f"Pack {reference} is {pack.request.format.label.lower()}: it has no printed pack")
    output.write_bytes(render_pack(pack_content(pack)))
    click.echo(f"Wrote {output}")


@click.command("blank")
@click.option("--consultation", "slug", required=True, help="The consultation's slug, e.g. lcr-digital-strategy-2021.")
@click.option("--count", type=click.IntRange(1, 5000), default=200, show_default=True, help="How many packs.")
@click.option(
    "--format",
    "print_format",
    type=click.Choice(["standard", "large_print"]),
    default="standard",
    show_default=True,
    help="Standard or large print.",
)
@click.option("--output", "-o", type=PDF_FILE, required=True, help="The PDF file to write.")
@click.option("--closed-ok", is_flag=True, help="Confirm blank packs for a consultation that has closed.")
@with_appcontext
def blank_packs_command(slug: str, count: int, print_format: str, output: Path, closed_ok: bool) -> None:
    """Make blank packs in one PDF.

    Unpersonalised packs for libraries and events, each with its own reference, so a returned form is still
    matched to its pack.
    """
    consultation = get_consultation_by_slug(slug)
    if consultation is None:
        raise click.ClickException(f"No consultation {slug!r}")
    if problem := blank_packs_problem(consultation, utcnow(), confirmed=closed_ok):
        raise click.ClickException(f"{problem} (--closed-ok confirms)")
    packs = create_blank_packs(consultation.id, count, None)
    with output.open("wb") as handle:
        write_blank_packs(handle, [p.id for p in packs], PrintFormat(print_format))
    click.echo(f"Wrote {count} blank packs to {output}")


@click.command("run")
@with_appcontext
def print_run_command() -> None:
    """Run a print run now, in this process.

    Gathers every ready pack into batches (one per consultation and format) and builds each batch's PDF here,
    with a progress bar. The worker does the same every day at PRINT_RUN_AT.
    """
    groups = ready_groups()
    if not groups:
        click.echo("No packs are ready to print.")
        return
    # Every batch is claimed first, as the worker's run does, so the run is one audit entry with its counts.
    batches = [b for b in (create_print_batch(c, f) for c, f in groups) if b is not None]
    if batches:
        record_print_run(None, [(b.id, b.pack_count) for b in batches])
    for batch in batches:
        batch_id, total, print_format = batch.id, batch.pack_count, batch.format
        with click.progressbar(length=total, label=f"Batch {batch_id} ({print_format.label}, {total} packs)") as bar:
            build_batch_file(batch_id, _progress_to(bar))
        built = load_batch(batch_id)
        click.echo(f"Batch {batch_id}: {built.page_count} pages, file {built.file_key}")


def _progress_to(bar: ProgressBar[int]) -> Callable[[int, int], None]:
    """The builder reports packs done so far; the bar moves by the difference."""
    seen = 0

    def progress(done: int, _total: int) -> None:
        nonlocal seen
        bar.update(done - seen)
        seen = done

    return progress
