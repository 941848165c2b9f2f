"""`flask returns scan FILE...`: read scanned returns from the command line, with a progress bar."""

from __future__ import annotations

import uuid
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from service import storage
from service.dao.scans import create_scan, get_scan, list_scan_pages
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
def scan_command(files: tuple[Path, ...]) -> None:
    """Read scanned returns (PDF, TIFF, JPEG or PNG; any page order, either way up) into their returns."""
    from service.scans.intake import read_stored_scan

    for path in files:
        data = path.read_bytes()
        try:
            pages = count_pages(data)
        except UnreadableFile as error:
            raise click.ClickException(f"{path.name}: {error}") from None
        scan = create_scan(store_upload(data), path.name, pages, None)
        with click.progressbar(length=pages, label=f"Reading {path.name}") as bar:
            returns = read_stored_scan(scan.id, lambda position, total, bar=bar: bar.update(1))
        scan = get_scan(scan.id)
        counts: dict[str, int] = {}
        for page in list_scan_pages(scan.id):
            counts[page.status.label] = counts.get(page.status.label, 0) + 1
        click.echo(f"Scan {scan.id}: {pages} page(s) into {len(returns)} return(s)")
        for label, count in sorted(counts.items()):
            click.echo(f"  {label}: {count}")


def init_app(app: Flask) -> None:
    # `flask returns ...`: join the returns group if another feature made it, else make it.
    group = app.cli.commands.get("returns")
    if not isinstance(group, click.Group):
        group = AppGroup("returns", help="Returned forms.")
        app.cli.add_command(group)
    group.add_command(scan_command)
