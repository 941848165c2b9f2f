"""A web process does its slow one-off work when it starts, not on a caller's first request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a web process as gunicorn starts one; then anything that reads a font file or runs a tool fails,
# and what the first phone-menu request for a copy checks must still work.
FIRST_REQUEST = """
import subprocess
import reportlab.pdfbase.ttfonts as ttfonts
from service.wsgi import app

def refused(*args, **kwargs):
    raise AssertionError("slow one-off work on a caller's request")

subprocess.run = subprocess.Popen = refused
ttfonts.TTFont.__init__ = refused

from service.accessible_formats.tools import formats_made_here
from service.packs.postal_rules import window_problems

with app.app_context():
    made_here = formats_made_here()
    assert window_problems(["Zoë Nguyễn", "1 Lark Lane", "Liverpool", "L17 8UU"]) == {}
    assert window_problems(["محمد علی", "1 Lark Lane", "Liverpool", "L17 8UU"]) == {}
    assert window_problems(["陈伟", "1 Lark Lane", "Liverpool", "L17 8UU"]) == {}
print("formats made here:", sorted(f.value for f in made_here))
"""


def test_a_web_process_loads_fonts_and_probes_tools_before_its_first_request(database_url, redis_url, file_store):
    env = dict(os.environ, SURVEY_LINE_ENV="test", DATABASE_URL=database_url, REDIS_URL=redis_url,
               FILE_STORE_DIR=str(file_store))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "formats made here:" in done.stdout
