"""`academy user ...`: operators create accounts and give roles from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from academy.accounts import operations
from academy.accounts.forms import PASSWORD_MESSAGES, USERNAME_MESSAGES
from academy.accounts.passwords import password_problem
from academy.accounts.usernames import normalise, username_problem
from academy.db import db


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Create accounts and change their roles."""


@user_group.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(operations.ROLES), default="trainee", show_default=True)
@click.password_option(help="The new password (asked for when not given).")
def create_user(name: str, role: str, password: str) -> None:
    """Create account NAME with a password, as a trainee, facilitator or admin."""
    problem = username_problem(normalise(name))
    if problem:
        raise click.ClickException(str(USERNAME_MESSAGES[problem]))
    problem = password_problem(password, normalise(name))
    if problem:
        raise click.ClickException(str(PASSWORD_MESSAGES[problem]))
    try:
        user = operations.create_account(db.session, name, password, role)
    except operations.UsernameTaken:
        raise click.ClickException(f"the username '{name}' is already in use") from None
    db.session.commit()
    click.echo(f"Created {user.username} ({role}).")


@user_group.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(operations.ROLES))
def change_role(name: str, role: str) -> None:
    """Make account NAME a trainee, facilitator or admin."""
    try:
        user = operations.set_role(db.session, name, role)
    except operations.NoSuchUser:
        raise click.ClickException(f"no account is called '{name}'") from None
    db.session.commit()
    click.echo(f"{user.username} is now {role}.")
