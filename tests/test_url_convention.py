"""Every screen's code is found from its URL in one guess: the first segment of a route's path (hyphens as
underscores) is the package under service/, the blueprint that serves the route, and the folder of the templates
that package renders. `/print-batches/7` is `service/print_batches/`, blueprint `print_batches`,
`templates/print_batches/`. A new route that breaks this fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Blueprint, Flask

SERVICE = Path(__file__).resolve().parent.parent / "service"
# The one documented exception: the site's root sends you on to /home or /sign-in, and lives with /home.
ROOT = {"/": "home"}
# Flask's own route for service/static/, and the templates every package shares.
FLASK_OWN = {"static"}
SHARED_TEMPLATES = {"base.html", "confirm.html", "components", "errors"}


def package_of_path(path: str) -> str:
    """The package a URL path should lead to: its first segment, hyphens as underscores."""
    return ROOT.get(path) or path.lstrip("/").split("/")[0].replace("-", "_")


def convention_problems(app: Flask, service: Path = SERVICE) -> dict[str, list[str]]:
    """Each route whose first path segment does not lead to its package, blueprint and view, with what is wrong."""
    problems: dict[str, list[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in FLASK_OWN:
            continue
        package = package_of_path(rule.rule)
        wrong = []
        if not (service / package / "__init__.py").is_file():
            wrong.append(f"there is no package service/{package}/")
        blueprint = rule.endpoint.rpartition(".")[0]
        if blueprint != package:
            wrong.append(f"blueprint {blueprint or '(none)'} serves it, not {package}")
        module = app.view_functions[rule.endpoint].__module__
        if module != f"service.{package}" and not module.startswith(f"service.{package}."):
            wrong.append(f"its view is in {module}")
        if wrong:
            problems[rule.rule] = wrong
    return problems


def templates_rendered(path: Path) -> set[str]:
    """The template names a module passes to render_template as a literal."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "render_template" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


def test_every_routes_first_path_segment_leads_to_its_package(app):
    assert convention_problems(app) == {}


def test_every_package_renders_templates_from_its_own_folder(app):
    wrong = {}
    for blueprint in app.blueprints:
        for module in sorted((SERVICE / blueprint).rglob("*.py")):
            for name in templates_rendered(module):
                folder = name.split("/")[0]
                if folder != blueprint and folder not in SHARED_TEMPLATES:
                    wrong[f"{module.relative_to(SERVICE.parent)}"] = name
    assert wrong == {}


def test_every_template_folder_is_a_blueprints(app):
    folders = {p.name for p in (SERVICE.parent / "templates").iterdir() if p.is_dir()} - SHARED_TEMPLATES
    assert folders - set(app.blueprints) == set()


def test_a_route_that_breaks_the_convention_is_named(tmp_path):
    # A made-up service with a sign_in package: /sign-up served from it, and /notes with a package of no name.
    (tmp_path / "sign_in").mkdir()
    (tmp_path / "sign_in" / "__init__.py").write_text("")
    app = Flask(__name__, static_folder=None)
    sign_in = Blueprint("sign_in", __name__)
    notes = Blueprint("notes", __name__, url_prefix="/notes")
    for blueprint, rule, endpoint in (
        (sign_in, "/sign-in", "form"),
        (sign_in, "/sign-up", "sign_up"),
        (notes, "", "index"),
    ):
        view = lambda: ""  # noqa: E731
        view.__module__ = "service.sign_in.routes"
        blueprint.add_url_rule(rule, endpoint, view)
    app.register_blueprint(sign_in)
    app.register_blueprint(notes)
    assert convention_problems(app, tmp_path) == {
        "/sign-up": [
            "there is no package service/sign_up/",
            "blueprint sign_in serves it, not sign_up",
            "its view is in service.sign_in.routes",
        ],
        "/notes": ["there is no package service/notes/", "its view is in service.sign_in.routes"],
    }


# URLs outside the service depend on: staff bookmarks, the links in texts and emails already sent, Twilio's
# webhook settings and the monitors. Packages were renamed to fit them; these never change.
URLS_IN_USE = [
    ("/", "GET", "home.root"),
    ("/sign-in", "GET", "sign_in.sign_in"),
    ("/sign-in", "POST", "sign_in.sign_in"),
    ("/sign-out", "POST", "sign_out.sign_out"),
    ("/password", "GET", "password.change_password"),
    ("/healthz", "GET", "healthz.healthz"),
    ("/download/4Jx0c9bTq2nEwYzA1vK8", "GET", "download.show"),
    ("/download/4Jx0c9bTq2nEwYzA1vK8/mp3", "GET", "download.file"),
    ("/ivr/voice", "POST", "ivr.voice"),
    ("/ivr/status", "POST", "ivr.status"),
    ("/ivr/fallback", "POST", "ivr.fallback"),
    ("/ivr/text-status", "POST", "ivr.text_status"),
]


@pytest.mark.parametrize(("path", "method", "endpoint"), URLS_IN_USE)
def test_urls_in_use_outside_the_service_still_answer(app, path, method, endpoint):
    assert app.url_map.bind("localhost").match(path, method)[0] == endpoint
