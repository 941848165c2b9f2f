"""CLI: render one pack, make blank packs, run a print run with a progress bar, sweep."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from service.dao.audit import record_print_run
from service.dao.consultations import get_consultation_by_slug
from service.dao.printing import create_print_batch, get_batch, load_packs, ready_groups
from service.dao.requests import create_blank_packs, get_pack_by_reference
from service.models import PrintFormat
from service.models.types import utcnow
from service.packs.assemble import pack_content
from service.packs.render import render_pack
from service.personal_data.erasure import erased_notice
from service.print_batches.blank import blank_packs_problem, write_blank_packs
from service.print_batches.builder import build_batch_file
from service.reference import InvalidReference, parse_reference


def init_app(app: Flask) -> None:
    @app.cli.command("render-pack")
    @click.argument("reference")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def render_pack_command(reference: str, output: Path) -> None:
        """Render the pack with this reference to a PDF file."""
        try:
            pack = get_pack_by_reference(parse_reference(reference))
        except InvalidReference as problem:
            raise click.BadParameter(str(problem), param_hint="REFERENCE") from None
        if pack is None:
            raise click.ClickException("No pack has that reference")
        (pack,) = load_packs([pack.id])
        if pack.request is not None and (notice := erased_notice(pack.request.caller)):
            raise click.ClickException(f"{notice}: pack {reference} names nobody now, so it is not rendered")
        output.write_bytes(render_pack(pack_content(pack)))
        click.echo(f"Wrote {output}")

    @app.cli.command("blank-packs")
    @click.option(
        "--consultation", "slug", required=True, help="The consultation's slug, e.g. lcr-digital-strategy-2021."
    )
    @click.option("--count", type=click.IntRange(1, 5000), default=200, show_default=True)
    @click.option("--format", "print_format", type=click.Choice(["standard", "large_print"]), default="standard")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
    @click.option("--closed-ok", is_flag=True, help="Confirm blank packs for a consultation that has closed.")
    def blank_packs_command(slug: str, count: int, print_format: str, output: Path, closed_ok: bool) -> None:
        """Make unpersonalised packs, each with its own reference, in one PDF."""
        consultation = get_consultation_by_slug(slug)
        if consultation is None:
            raise click.ClickException(f"No consultation {slug!r}")
        if problem := blank_packs_problem(consultation, utcnow(), confirmed=closed_ok):
            raise click.ClickException(f"{problem} (--closed-ok confirms)")
        packs = create_blank_packs(consultation.id, count, None)
        with output.open("wb") as handle:
            write_blank_packs(handle, [p.id for p in packs], PrintFormat(print_format))
        click.echo(f"Wrote {count} blank packs to {output}")

    @app.cli.command("print-run")
    def print_run_command() -> None:
        """Gather ready packs into batches now and build each batch's PDF, showing progress."""
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
            with click.progressbar(
                length=total, label=f"Batch {batch_id} ({print_format.label}, {total} packs)"
            ) as bar:
                seen = 0

                def progress(done: int, _total: int) -> None:
                    nonlocal seen
                    bar.update(done - seen)
                    seen = done

                build_batch_file(batch_id, progress)
            batch = get_batch(batch_id)
            click.echo(f"Batch {batch_id}: {batch.page_count} pages, file {batch.file_key}")

    @app.cli.command("sweep")
    def sweep_command() -> None:
        """Re-queue due work that has no live job (after Redis was flushed or a worker died)."""
        from service.queues.sweep import requeue_due_work

        counts = requeue_due_work()
        click.echo(f"Re-queued {counts['renders']} render(s) and {counts['builds']} batch build(s).")
