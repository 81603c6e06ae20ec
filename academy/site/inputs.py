"""Checks on input before any view sees it: forms from elsewhere, characters no page can use."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import BadRequest

from academy.accounts.access import ACADEMY_BLUEPRINTS


def refuse_nul_characters() -> None:
    """Before each request: a NUL character in the address or a form is refused with 400.

    No person types one, PostgreSQL cannot store one in text (it would fail with a 500), and
    SQLite would keep it invisibly inside a name: refused here, nothing is written anywhere.
    """
    if request.blueprint not in ACADEMY_BLUEPRINTS:
        return
    values = [*request.args.values(), *(request.view_args or {}).values()]
    if request.method == "POST":
        values += [value for _, value in request.form.items(multi=True)]
    if any(isinstance(value, str) and "\x00" in value for value in values):
        raise BadRequest()


def protect_academy_forms() -> None:
    """Before each request: Academy's forms must carry their CSRF token (a host's are its own).

    Flask-WTF's own check would cover every route of a host site, whose forms Academy cannot
    know; so Academy turns that off unless the host set it, and checks its own pages here.
    """
    config = current_app.config
    if config["WTF_CSRF_CHECK_DEFAULT"] or not config["WTF_CSRF_ENABLED"]:
        return  # Flask-WTF checks every route itself (the standalone site), or checks are off
    if request.blueprint in ACADEMY_BLUEPRINTS:
        current_app.extensions["csrf"].protect(apply_exemptions=True)
