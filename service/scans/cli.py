"""`flask returns scan FILE...` and `flask returns demo-scans`: read scans from the command line; make a demo stack."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import with_appcontext

from service import storage
from service.dao.scans import create_scan, list_scan_pages, load_scan
from service.scans.images import UnreadableFile, count_pages, kind_of


def store_upload(data: bytes) -> str:
    """Keep an uploaded scan in the file store until it is read (and as long as its pages are kept)."""
    key = f"scans/uploads/{uuid.uuid4().hex}.{kind_of(data)}"
    handle, temporary = storage.open_for_writing(key)
    with handle:
        handle.write(data)
    storage.commit_file(temporary, key)
    return key


@click.command("scan")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def scan_command(files: tuple[Path, ...]) -> None:
    """Read scanned returns.

    FILES are PDF, TIFF, JPEG or PNG; pages in any order, either way up. Each page is read here, with a
    progress bar, and what became of the pages is printed.
    """
    from service.scans.intake import read_stored_scan

    for path in files:
        data = path.read_bytes()
        try:
            pages = count_pages(data)
        except UnreadableFile as error:
            raise click.ClickException(f"{path.name}: {error}") from None
        scan = create_scan(store_upload(data), path.name, pages, None)
        with click.progressbar(length=pages, label=f"Reading {path.name}") as bar:
            returns = read_stored_scan(scan.id, _advance(bar))
        scan = load_scan(scan.id)
        counts: dict[str, int] = {}
        for page in list_scan_pages(scan.id):
            counts[page.status.label] = counts.get(page.status.label, 0) + 1
        click.echo(f"Scan {scan.id}: {pages} page(s) into {len(returns)} return(s)")
        for label, count in sorted(counts.items()):
            click.echo(f"  {label}: {count}")


@click.command("demo-scans")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default="demo-scans.pdf",
    show_default=True,
    help="The PDF file to write.",
)
@click.option("--packs", default=3, show_default=True, help="How many demonstration packs to fill in.")
@with_appcontext
def demo_scans_command(output: Path, packs: int) -> None:
    """Make a stack of demonstration scans.

    Fills in demonstration packs not yet returned with made-up answers and handwriting and "scans" them,
    shuffled, into one PDF to try `flask returns scan` or the Scanned returns screen with.
    """
    import random

    from service.dao.returns import list_unreturned_demo_packs
    from service.packs.assemble import pack_content
    from service.questionnaires.definition import load_questionnaire
    from service.scans.synthetic import fill_in, print_and_scan, random_settings, stack_pdf

    chosen = list_unreturned_demo_packs(packs, printed_only=True)
    if not chosen:
        raise click.ClickException("No demonstration packs are waiting to be returned: run `flask demo-data` first")
    rng = random.Random(2021)
    scanned = []
    for pack in chosen:
        content = pack_content(pack)
        types = {q.code: q.type for q in load_questionnaire(content.consultation.questionnaire_file).questions}
        for page in fill_in(content, types, seed=pack.id):
            scanned.append(print_and_scan(page.pixels, random_settings(rng, dpi=200), rng))
    rng.shuffle(scanned)  # a stack straight from the post: any order
    output.write_bytes(stack_pdf(scanned))
    click.echo(f"{len(scanned)} scanned pages of {len(chosen)} pack(s) in {output}")


def _advance(bar) -> Callable[[int, int], None]:
    """A page-read callback that moves `bar` on by one page."""
    return lambda position, total: bar.update(1)
