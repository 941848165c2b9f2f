"""The `flask` command tree: every command runs through Flask's CLI runner, under its name and its old alias."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from PIL import Image

from service.cli import ALIASES, TREE, find
from service.queues import redis_connection
from tests.factories import make_consultation, make_request


def leaves(commands: tuple[click.Command, ...] | list[click.Command], prefix: tuple[str, ...] = ()) -> Iterator:
    """The path of every runnable command in the tree: ("seed",), ("print", "run"), ..."""
    for command in commands:
        path = (*prefix, command.name)
        if isinstance(command, click.Group):
            yield from leaves(list(command.commands.values()), path)
        else:
            yield path


@dataclass(frozen=True)
class Case:
    """How to run one command cheaply, and what its output then says."""

    arguments: Callable[[Path], list[str]]
    says: str


def a_pack_reference(_tmp: Path) -> str:
    return make_request(make_consultation("cli-tree")).packs[0].reference


def a_blank_page(tmp: Path) -> str:
    path = tmp / "blank-page.png"
    Image.new("L", (1240, 1754), 255).save(path, dpi=(150, 150))  # A4 at 150 dpi, nothing on it
    return str(path)


def a_render_lost_with_redis(_tmp: Path) -> list[str]:
    make_request(make_consultation("cli-sweep"))  # its render is queued after the commit...
    redis_connection().flushdb()  # ...and lost
    return []


CASES: dict[tuple[str, ...], Case] = {
    ("seed",): Case(lambda tmp: [], "Consultation ready: Digital Strategy"),
    ("demo-data",): Case(lambda tmp: [], "Demo sign-ins:"),
    ("users", "create"): Case(
        lambda tmp: ["amira", "--name", "Amira Khan", "--role", "call_handler", "--password", "a-long-enough-secret"],
        "Created amira (Call handler).",
    ),
    ("packs", "render"): Case(lambda tmp: [a_pack_reference(tmp), "-o", str(tmp / "pack.pdf")], "Wrote "),
    ("packs", "blank"): Case(
        lambda tmp: ["--consultation", make_consultation("cli-blank").slug, "--count", "1", "-o", str(tmp / "b.pdf")],
        "Wrote 1 blank packs to",
    ),
    ("print", "run"): Case(lambda tmp: [], "No packs are ready to print."),
    ("print", "sweep"): Case(a_render_lost_with_redis, "Re-queued 1 render(s) and 0 batch build(s)."),
    ("phone", "call"): Case(lambda tmp: ["--token", "a-token"], "No consultation in the database: run `flask seed`"),
    ("returns", "scan"): Case(lambda tmp: [a_blank_page(tmp)], "Scan "),
    ("returns", "demo-scans"): Case(
        lambda tmp: ["-o", str(tmp / "stack.pdf")], "No demonstration packs are waiting to be returned"
    ),
}


def test_every_command_in_the_tree_has_a_case_here():
    assert set(leaves(TREE)) == set(CASES)


def test_every_alias_names_a_command_in_the_tree():
    assert set(ALIASES.values()) <= set(CASES)


@pytest.mark.parametrize("path", sorted(CASES), ids=" ".join)
def test_each_command_runs(app, tmp_path, path):
    case = CASES[path]
    with app.app_context():  # the rows the command works on; the command pushes a context of its own
        arguments = case.arguments(tmp_path)
    result = app.test_cli_runner().invoke(args=[*path, *arguments])
    assert result.exit_code in (0, 1), result.output  # 1: a ClickException the user is meant to read
    assert case.says in result.output


@pytest.mark.parametrize("old_name", sorted(ALIASES))
def test_each_old_name_still_runs_its_command_and_names_the_new_one(app, tmp_path, old_name):
    path = ALIASES[old_name]
    case = CASES[path]
    with app.app_context():
        arguments = case.arguments(tmp_path)
    result = app.test_cli_runner().invoke(args=[old_name, *arguments])
    assert result.exit_code in (0, 1), result.output
    assert case.says in result.output
    assert f"Use `flask {' '.join(path)}`." in result.output
    assert find(path).callback is app.cli.commands[old_name].callback


def test_help_lists_the_groups_and_hides_the_old_names(app):
    runner = app.test_cli_runner()
    top = runner.invoke(args=["--help"])
    assert top.exit_code == 0
    listed = {line.split()[0] for line in top.output.split("Commands:")[1].splitlines() if line.strip()}
    assert {"seed", "demo-data", "users", "packs", "print", "phone", "returns"} <= listed
    assert not listed & set(ALIASES)


@pytest.mark.parametrize("path", sorted({path[:i] for path in CASES for i in range(1, len(path) + 1)}), ids=" ".join)
def test_every_group_and_command_explains_itself(app, path):
    result = app.test_cli_runner().invoke(args=[*path, "--help"])
    assert result.exit_code == 0, result.output
    assert f" {' '.join(path)} [OPTIONS]" in result.output
    summary = result.output.split("\n\n")[1].strip()
    assert summary.endswith(".") and len(summary) <= 60  # one short sentence first, the detail after it
    command = find(path)
    assert all(param.help for param in command.params if isinstance(param, click.Option))


@pytest.mark.parametrize(
    ("setting", "says"),
    [("", "No Redis to queue on: start `make run`"), ("redis://127.0.0.1:9/0", "Redis is not answering")],
)
def test_the_sweep_without_redis_says_what_to_start(app, setting, says):
    with app.app_context():
        make_request(make_consultation("cli-no-redis"))  # due work, so the sweep has to ask Redis
    configured = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = setting
    try:
        result = app.test_cli_runner().invoke(args=["print", "sweep"])
    finally:
        app.config["REDIS_URL"] = configured
    assert result.exit_code == 1 and says in result.output
