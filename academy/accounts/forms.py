"""The account forms (Flask-WTF), with messages a trainee can act on."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import ValidationError

from academy.accounts.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from academy.accounts.usernames import MAX_LENGTH as NAME_MAX
from academy.accounts.usernames import MIN_LENGTH as NAME_MIN
from academy.accounts.usernames import normalise, username_problem

USERNAME_MESSAGES = {
    "empty": _l("Choose a username."),
    "short": _l("A username needs at least %(min)d characters.", min=NAME_MIN),
    "long": _l("A username can have at most %(max)d characters.", max=NAME_MAX),
    "characters": _l("Use only letters, numbers and . _ - (no spaces)."),
    "scripts": _l("Use letters from one alphabet only."),
}
PASSWORD_MESSAGES = {
    "short": _l("A password needs at least %(min)d characters.", min=MIN_LENGTH),
    "long": _l("A password can have at most %(max)d characters.", max=MAX_LENGTH),
    "common": _l("Many people use this password, so it is easy to guess. Choose another."),
    "username": _l("Your password cannot be your username."),
}


def _username_rule(form: FlaskForm, field: StringField) -> None:
    """A new username must be one Academy can keep apart from every other."""
    problem = username_problem(normalise(field.data or ""))
    if problem:
        raise ValidationError(str(USERNAME_MESSAGES[problem]))


def _password_rule(form: FlaskForm, field: PasswordField) -> None:
    """A new password must be long enough and not one that attackers try first."""
    problem = password_problem(field.data or "", normalise(form.username.data or ""))
    if problem:
        raise ValidationError(str(PASSWORD_MESSAGES[problem]))


def _required(message: str):
    """A validator that stops with `message` when the field is empty."""

    def check(form: FlaskForm, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(str(message))

    return check


class SignUpForm(FlaskForm):
    """A username and a password: nothing else is asked."""

    username = StringField(_l("Username"), [_username_rule])
    password = PasswordField(_l("Password"), [_password_rule])


class SignInForm(FlaskForm):
    """Username, password, and whether this phone should keep the trainee signed in."""

    username = StringField(_l("Username"), [_required(_l("Type your username."))])
    password = PasswordField(_l("Password"), [_required(_l("Type your password."))])
    remember = BooleanField(_l("Keep me signed in on this phone"), default=False)


class PasswordCheckForm(FlaskForm):
    """The trainee's password again, before their data leaves or is deleted."""

    password = PasswordField(_l("Your password"), [_required(_l("Type your password."))])


def _new_password_rule(form: FlaskForm, field: PasswordField) -> None:
    """A changed password follows the sign-up rules, and is not the old one."""
    problem = password_problem(field.data or "", current_user.username)
    if problem:
        raise ValidationError(str(PASSWORD_MESSAGES[problem]))
    if field.data == form.password.data:
        raise ValidationError(str(_l("Choose a password different from the one you have now.")))


class ChangePasswordForm(FlaskForm):
    """The password now, then a new one; every other phone is signed out."""

    password = PasswordField(_l("Your password now"), [_required(_l("Type your password."))])
    new_password = PasswordField(_l("New password"), [_new_password_rule])


def _ticked(message: str):
    """A validator that stops with `message` unless the box is ticked."""

    def check(form: FlaskForm, field: BooleanField) -> None:
        if not field.data:
            raise ValidationError(str(message))

    return check


class ConfirmForm(FlaskForm):
    """For an account a learning platform signs in (no password here): a tick to confirm."""

    confirm = BooleanField(_l("Yes, I am sure"), [_ticked(_l("Tick the box to confirm."))])
