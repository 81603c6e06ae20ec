"""`academy pack`: session and course packs as PDF files, for print shops and offline work."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from academy.db import db
from academy.handouts import packs
from academy.handouts.documents import PAPERS, PrintChoiceError
from academy.locale import in_operator_language
from academy.models import Course, Module


@click.command("pack")
@click.argument("course")
@click.argument("module", required=False)
@click.option("--lang", "language", help="Language of the pack (default: the course's first).")
@click.option("--paper", type=click.Choice(list(PAPERS)), default="a4", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write.")
@with_appcontext
@in_operator_language
def pack_command(
    course: str, module: str | None, language: str | None, paper: str, output: Path | None
) -> None:
    """Write the session pack of MODULE, or the course pack of COURSE (ids from the files)."""
    found = db.session.scalar(select(Course).where(Course.key == course, Course.listed))
    if found is None:
        keys = db.session.scalars(select(Course.key).where(Course.listed)).all()
        if not keys:
            raise click.ClickException(
                _("no course '%(course)s' (published: none; run academy sync)", course=course)
            )
        raise click.ClickException(
            _(
                "no course '%(course)s' (published: %(courses)s)",
                course=course,
                courses=", ".join(keys),
            )
        )
    language = language or found.languages[0]
    try:
        if module is None:
            pdf = packs.course_pack(found, language, paper)
        else:
            pdf = packs.session_pack(found, _module(found, module), language, paper)
    except PrintChoiceError as exc:
        raise click.ClickException(str(exc)) from None
    target = output or Path(pdf.filename)
    target.write_bytes(pdf.data)
    click.echo(_("Wrote %(path)s (%(size)d KB).", path=target, size=len(pdf.data) // 1024))


def _module(course: Course, key: str) -> Module:
    """The course's listed module with this id, or a clear error."""
    for module in course.modules:
        if module.key == key and module.listed:
            return module
    keys = ", ".join(m.key for m in course.modules if m.listed)
    raise click.ClickException(
        _(
            "no module '%(module)s' in %(course)s (modules: %(modules)s)",
            module=key,
            course=course.key,
            modules=keys,
        )
    )
