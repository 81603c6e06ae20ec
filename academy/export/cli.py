"""`academy export cc`: a course as IMS Common Cartridge files for Moodle, Canvas and others."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from academy.content import InvalidRepository
from academy.export.cartridge import UnknownCourse, UnknownLanguage
from academy.export.package import CannotWrite, Written, export_course
from academy.export.profiles import DEFAULT_VERSION, PROFILES
from academy.locale import in_operator_language


@click.group("export", cls=AppGroup)
def export_group() -> None:
    """Export courses for other learning platforms."""


@export_group.command("cc")
@click.argument("course")
@click.option("--language", help="Language of the cartridge (default: the course's first).")
@click.option("--all-languages", is_flag=True, help="One cartridge per language of the course.")
@click.option(
    "--cc-version",
    type=click.Choice(sorted(PROFILES)),
    default=DEFAULT_VERSION,
    show_default=True,
    help="1.3 for Canvas and most platforms; 1.1 for Moodle, which restores no later version.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (default: COURSE.LANGUAGE.imscc); with --all-languages, a folder.",
)
@in_operator_language
def cc_command(
    course: str,
    language: str | None,
    all_languages: bool,
    cc_version: str,
    output: Path | None,
) -> None:
    """Write COURSE (its id) as an IMS Common Cartridge, read from the course files."""
    if all_languages and language:
        raise click.UsageError(_("--all-languages writes every language: leave out --language"))
    root = Path(current_app.config["ACADEMY_COURSES_DIR"])
    try:
        written = export_course(
            root,
            course,
            language=language,
            all_languages=all_languages,
            version=cc_version,
            output=output,
        )
    except InvalidRepository as exc:
        # Each problem is a checker diagnostic (file:line: message [id]): English, like the checker.
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(
            ngettext(
                "Export stopped: %(num)d problem to fix in the courses. No file was written.",
                "Export stopped: %(num)d problems to fix in the courses. No file was written.",
                len(exc.problems),
            ),
            err=True,
        )
        sys.exit(1)
    except UnknownCourse as exc:
        raise click.ClickException(_unknown_course(exc, root)) from None
    except UnknownLanguage as exc:
        raise click.ClickException(
            _(
                "%(course)s has no '%(language)s' text (languages: %(languages)s)",
                course=exc.course.id,
                language=exc.language,
                languages=", ".join(exc.course.languages),
            )
        ) from None
    except CannotWrite as exc:
        raise click.ClickException(
            _("cannot write %(path)s: %(reason)s", path=exc.path, reason=exc.reason)
        ) from None
    for entry in written:
        for line in report_lines(entry):
            click.echo(line)


def _unknown_course(exc: UnknownCourse, root: Path) -> str:
    """Why the course was not found, with the ids that exist."""
    if not exc.known:
        return _("no course '%(course)s': %(path)s has no courses", course=exc.course, path=root)
    return _(
        "no course '%(course)s' in %(path)s (courses: %(courses)s)",
        course=exc.course,
        path=root,
        courses=", ".join(exc.known),
    )


def report_lines(entry: Written) -> list[str]:
    """What was written and what the operator should know about it, in their language."""
    cartridge = entry.cartridge
    lines = [_("Wrote %(path)s (%(size)d KB).", path=entry.path, size=math.ceil(entry.size / 1024))]
    for module, files in cartridge.fallbacks.items():
        lines.append(
            _(
                "%(module)s has no %(files)s: this cartridge uses the %(source)s text there.",
                module=module,
                files=", ".join(files),
                source=cartridge.course.languages[0],
            )
        )
    for module, count in cartridge.all_or_nothing.items():
        lines.append(
            ngettext(
                "%(module)s: %(num)d question gives part marks on the site; "
                "the cartridge scores it all or nothing.",
                "%(module)s: %(num)d questions give part marks on the site; "
                "the cartridge scores them all or nothing.",
                count,
                module=module,
            )
        )
    return lines
