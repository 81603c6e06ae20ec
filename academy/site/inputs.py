"""Input no page could use is refused before any view sees it."""

from __future__ import annotations

from flask import request
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
