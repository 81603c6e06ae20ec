"""`academy user ...`: operators create accounts and give roles from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from academy.accounts import operations
from academy.accounts.forms import PASSWORD_MESSAGES, USERNAME_MESSAGES
from academy.accounts.passwords import password_problem
from academy.accounts.usernames import normalise, username_problem
from academy.db import db
from academy.locale import in_operator_language


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Create accounts and change their roles."""


@user_group.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(operations.ROLES), default="trainee", show_default=True)
@click.option("--password", help="The new password (asked for when not given).")
@in_operator_language
def create_user(name: str, role: str, password: str | None) -> None:
    """Create account NAME with a password, as a trainee, facilitator or admin."""
    problem = username_problem(normalise(name))
    if problem:
        raise click.ClickException(str(USERNAME_MESSAGES[problem]))
    if password is None:
        # Asked here, not by click.password_option, so the prompts are in the operator's language.
        password = click.prompt(
            _("Password"), hide_input=True, confirmation_prompt=_("Repeat for confirmation")
        )
    problem = password_problem(password, normalise(name))
    if problem:
        raise click.ClickException(str(PASSWORD_MESSAGES[problem]))
    try:
        user = operations.create_account(db.session, name, password, role)
    except operations.UsernameTaken:
        raise click.ClickException(
            _("the username '%(name)s' is already in use", name=name)
        ) from None
    db.session.commit()
    # The role stays the word the operator types (--role), so it reads the same in every language.
    click.echo(_("Created %(name)s (%(role)s).", name=user.username, role=role))


@user_group.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(operations.ROLES))
@in_operator_language
def change_role(name: str, role: str) -> None:
    """Make account NAME a trainee, facilitator or admin."""
    try:
        user = operations.set_role(db.session, name, role)
    except operations.NoSuchUser:
        raise click.ClickException(_("no account is called '%(name)s'", name=name)) from None
    db.session.commit()
    click.echo(_("%(name)s is now %(role)s.", name=user.username, role=role))


@user_group.command("disable")
@click.argument("name")
@in_operator_language
def disable_user(name: str) -> None:
    """Stop account NAME from signing in; its open sessions end on their next request."""
    _set_disabled(name, True)
    click.echo(
        _("%(name)s can no longer sign in; every phone signed in to it is signed out.", name=name)
    )


@user_group.command("enable")
@click.argument("name")
@in_operator_language
def enable_user(name: str) -> None:
    """Let a disabled account NAME sign in again."""
    _set_disabled(name, False)
    click.echo(_("%(name)s can sign in again.", name=name))


def _set_disabled(name: str, disabled: bool) -> None:
    """Switch the account off or on, and commit; a clear error when there is no such account."""
    try:
        operations.set_disabled(db.session, name, disabled)
    except operations.NoSuchUser:
        raise click.ClickException(_("no account is called '%(name)s'", name=name)) from None
    db.session.commit()
