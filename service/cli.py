"""The `flask` command tree: every command the service adds, grouped by what it works on.

    flask seed                          load the consultations in pdf_templates/
    flask demo-data                     demo sign-ins, a demonstration consultation and requests
    flask users create USERNAME         a staff account (again: a new password, lock lifted)
    flask packs render REFERENCE -o F   one pack's PDF
    flask packs blank --consultation S  unpersonalised packs with their own references
    flask print run                     a print run now, here, with a progress bar
    flask print sweep                   re-queue due work that has no live job
    flask phone call                    play a phone-menu call against a running service
    flask returns scan FILE...          read scanned returns
    flask returns demo-scans            fill in and "scan" demonstration packs

Each command is defined beside the code it drives (`service/<package>/cli.py`); this module only arranges
them, so the whole tree reads in one place. The flat names used before the tree (`create-user`,
`render-pack`, `blank-packs`, `print-run`, `sweep`, `ivr-call`) still work for one release: hidden from
`flask --help`, and saying their new name on stderr when used.
"""

from __future__ import annotations

import click
from flask import Flask

from service.auth.cli import create_user
from service.consultations.cli import seed
from service.demo import demo_data
from service.ivr.cli import phone_call
from service.print_batches.cli import blank_packs_command, print_run_command, render_pack_command
from service.queues.cli import sweep_command
from service.scans.cli import demo_scans_command, scan_command


def group(name: str, help_text: str, *commands: click.Command) -> click.Group:
    """A command group (`flask NAME ...`) holding `commands` under their own names."""
    made = click.Group(name, help=help_text)
    for command in commands:
        made.add_command(command)
    return made


TREE: tuple[click.Command, ...] = (
    seed,
    demo_data,
    group("users", "Staff accounts.", create_user),
    group("packs", "Packs outside a print run: one pack's PDF, blank packs.", render_pack_command, blank_packs_command),
    group("print", "Print runs and the sweep that keeps due work queued.", print_run_command, sweep_command),
    group("phone", "The phone menu, played from a terminal.", phone_call),
    group("returns", "Returned forms: scans from the command line.", scan_command, demo_scans_command),
)

# Old flat name -> the command's path in the tree.
ALIASES: dict[str, tuple[str, ...]] = {
    "create-user": ("users", "create"),
    "render-pack": ("packs", "render"),
    "blank-packs": ("packs", "blank"),
    "print-run": ("print", "run"),
    "sweep": ("print", "sweep"),
    "ivr-call": ("phone", "call"),
}


def find(path: tuple[str, ...]) -> click.Command:
    """The command at `path` in the tree, e.g. ("print", "run")."""
    command: click.Command | None = next(c for c in TREE if c.name == path[0])
    for name in path[1:]:
        assert isinstance(command, click.Group)
        command = command.commands.get(name)
    if command is None:
        raise LookupError(" ".join(path))
    return command


def alias(old_name: str, path: tuple[str, ...]) -> click.Command:
    """The command at `path` under its old flat name: same options, hidden from help, pointing to its new name."""
    command = find(path)
    new_name = "flask " + " ".join(path)
    return click.Command(
        old_name,
        callback=command.callback,
        params=command.params,
        help=f"Old name of `{new_name}`, kept for one release.",
        hidden=True,
        deprecated=f"Use `{new_name}`.",
    )


def init_app(app: Flask) -> None:
    for command in TREE:
        app.cli.add_command(command)
    for old_name, path in ALIASES.items():
        app.cli.add_command(alias(old_name, path))
