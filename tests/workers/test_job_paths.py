"""Jobs are enqueued and scheduled by dotted path, so a renamed job would only fail in the worker: not here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from werkzeug.utils import import_string

ROOT = Path(__file__).resolve().parent.parent.parent
JOB_PATH = re.compile(r"^workers\.[a-z_]+(\.[a-z_]+)+$")


def dotted_job_paths() -> dict[str, str]:
    """Every string in service/ and workers/ that names a job, and the file it is in."""
    found = {}
    for path in sorted([*ROOT.joinpath("service").rglob("*.py"), *ROOT.joinpath("workers").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and JOB_PATH.match(node.value):
                found[node.value] = str(path.relative_to(ROOT))
    return found


def test_every_enqueued_or_scheduled_job_path_imports_as_a_function():
    paths = dotted_job_paths()
    # The enqueue and schedule code name these (a guard that the search itself still finds them). The sweep
    # is not among them: every worker's housekeeper calls it directly (workers/housekeeping.py).
    assert {"workers.jobs.render_request_packs", "workers.jobs.build_print_batch", "workers.jobs.print_run"} <= set(
        paths
    )
    broken = {}
    for dotted, where in paths.items():
        try:
            assert callable(import_string(dotted))
        except (ImportError, AssertionError) as problem:
            broken[dotted] = f"{where}: {type(problem).__name__}"
    assert broken == {}
