"""`flask users create`: make a staff account from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from service.auth.password_policy import new_password_problem
from service.auth.passwords import hash_password
from service.dao.staff import create_staff, get_staff_by_username, set_staff_password
from service.models import Role


@click.command("create")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Name shown on screen, e.g. 'Amira Khan'.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="What they may do.")
@click.password_option(help="At least 12 characters, not a common one; asked for when not given.")
@with_appcontext
def create_user(username: str, display_name: str, role: str, password: str) -> None:
    """Create a staff account.

    For a USERNAME that exists, sets a new password instead, which also lifts a sign-in lock.
    """
    problem = new_password_problem(password, username, display_name)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    existing = get_staff_by_username(username)
    if existing:
        set_staff_password(existing, hash_password(password))
        click.echo(f"Password reset for {existing.username}.")
        return
    user = create_staff(username, display_name, Role(role), hash_password(password))
    click.echo(f"Created {user.username} ({Role(role).label}).")
