"""Configuration fails closed: an unset SURVEY_LINE_ENV means production, which will not start without a key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = "from service import create_app; app = create_app(); print(app.config['ENV_NAME'])"


def start_app(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess:
    """Build the app in a fresh process with only these settings (and no SURVEY_LINE_ENV or SECRET_KEY)."""
    env = {k: v for k, v in os.environ.items() if k not in {"SURVEY_LINE_ENV", "SECRET_KEY", "DATABASE_URL"}}
    env.update(SURVEY_LINE_INSTANCE=str(tmp_path), **settings)
    return subprocess.run(
        [sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_an_unset_environment_is_production_and_refuses_to_start_without_a_secret_key(tmp_path):
    started = start_app(tmp_path)
    assert started.returncode != 0
    assert "SECRET_KEY must be set in production" in started.stderr
    assert not (tmp_path / "secret_key").exists()  # no development key made up behind its back


def test_production_starts_with_a_secret_key(tmp_path):
    started = start_app(tmp_path, SECRET_KEY="a-real-secret-from-the-environment")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "production"


def test_development_is_asked_for_by_name_and_keeps_its_own_key(tmp_path):
    started = start_app(tmp_path, SURVEY_LINE_ENV="development")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "development"
    assert (tmp_path / "secret_key").exists()
