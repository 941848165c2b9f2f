"""The layers point one way: screens and jobs use the data layer; the data layer uses models and domain rules only.

`service/dao` and `service/models` (and the domain rules they use) import nothing from a feature package, and
nothing in `service/` imports `workers/`: the web app names jobs by their dotted path instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

SERVICE = Path(__file__).resolve().parent.parent / "service"
# Below the screens: the data layer, the models, and the rules and helpers they are built on.
LOWER_LAYER = ("dao", "models", "questionnaires", "geo")
ALLOWED_BELOW = {*LOWER_LAYER, "extensions", "reference", "text", "working_days", "labels"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_under(*folders: str) -> list[Path]:
    roots = [SERVICE / folder for folder in folders] if folders else [SERVICE]
    return sorted(p for root in roots for p in root.rglob("*.py"))


def test_the_data_layer_and_models_import_no_feature_package():
    offenders = {}
    for path in modules_under(*LOWER_LAYER):
        imported = {name.split(".")[1] for name in imported_modules(path) if name.startswith("service.")}
        if imported - ALLOWED_BELOW:
            offenders[str(path.relative_to(SERVICE.parent))] = sorted(imported - ALLOWED_BELOW)
    assert offenders == {}


def test_nothing_in_service_imports_workers():
    offenders = {
        str(path.relative_to(SERVICE.parent)): sorted(n for n in imported_modules(path) if n.split(".")[0] == "workers")
        for path in modules_under()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from service.requests.intake import build_new_request\n    import workers.jobs\n")
    assert imported_modules(module) == {"service.requests.intake", "workers.jobs"}
