"""Project-wide CLI commands (`flask demo-data`); features add their own in their init_app."""

import click
from flask import Flask, current_app


def init_app(app: Flask) -> None:
    @app.cli.command("demo-data")
    @click.option("--force", is_flag=True, help="Allow in production (never do this with real callers' data).")
    def demo_data(force: bool) -> None:
        """Add demo staff sign-ins, a demonstration consultation and a few requests."""
        from service.demo import load_demo_data

        if current_app.config["ENV_NAME"] == "production" and not force:
            raise click.ClickException("Refusing to add demo data in production (use --force to override).")
        accounts = load_demo_data()
        click.echo("Demo sign-ins:")
        for account in accounts:
            click.echo(f"  {account.role.label:<13} username {account.username:<11} password {account.password}")
