"""Survey line: phone and paper access to public consultations."""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask
from jinja2 import StrictUndefined

from service.config import INSTANCE_DIR, config_for

SUBSYSTEMS = (
    "auth",
    "sign_in",
    "sign_out",
    "password",
    "security_headers",
    "form_keys",
    "healthz",
    "templating",
    "navigation",
    "queues",
    "home",
    "calls",
    "profile",
    "requests",
    "download",
    "returns",
    "scans",
    "address_checks",
    "ivr",
    "phone_responses",
    "print_batches",
    "print_providers",
    "jobs",
    "dashboard",
    "personal_data",
    "audit",
    "staff",
    "cli",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the web app; `config` overrides settings (tests use it)."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="static",
    )
    app.config.from_object(config_for((config or {}).get("ENV_NAME")))
    if config:
        app.config.update(config)
    app.jinja_env.undefined = StrictUndefined
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    from service import errors, logging_setup, secrets_store
    from service.extensions import csrf, db, migrate

    secrets_store.ensure_secret_key(app)
    logging_setup.init_app(app)
    db.init_app(app)
    from service import sqlite_tuning

    sqlite_tuning.init_app(app)
    from service.packs import files

    files.listen()  # pack files a correction or cancellation forgot leave the store once that commits
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    errors.init_app(app)
    from service import params

    params.init_app(app)  # before any blueprint, so every `<int:...>` in a route is range-checked

    # Each subsystem offers init_app(app) for its blueprint, hooks and CLI commands; order matters only
    # in that auth and the security headers come first.
    for name in SUBSYSTEMS:
        importlib.import_module(f"service.{name}").init_app(app)
    return app
