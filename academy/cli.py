"""The `academy` command: Flask's own commands (run, shell) plus Academy's."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.serving import run_simple

from academy.accounts.cli import user_group
from academy.backup import BackupError, backup, restore
from academy.content import ContentError, InvalidRepository, load_repository
from academy.content.checker import check_repository
from academy.content.formats import FORMATS
from academy.content.gitbase import git_base
from academy.content.scaffold import ScaffoldError, new_course, new_module
from academy.db import db
from academy.export.cli import export_group
from academy.handouts.cli import pack_command
from academy.locale import in_operator_language
from academy.lti.cli import lti_group
from academy.migrate import pending, upgrade
from academy.sync import SyncReport, published_versions, sync_repository


def init_app(app: Flask, group: str | None = None) -> None:
    """Register Academy's commands: top-level for `academy X`, or as `flask <group> X` in a host.

    In a host site the commands go in one group, so `db` or `user` never clash with the host's.
    """
    target = app.cli if group is None else AppGroup(group, help="Academy's commands.")
    target.add_command(sync_command)
    target.add_command(check_command)
    target.add_command(preview_command)
    target.add_command(new_group)
    target.add_command(db_group)
    target.add_command(user_group)
    target.add_command(pack_command)
    target.add_command(backup_command)
    target.add_command(restore_command)
    target.add_command(export_group)
    target.add_command(lti_group)
    if group is not None:
        app.cli.add_command(target)


def sync_courses(courses_dir: Path | None = None) -> SyncReport:
    """Load the course repository and publish it in one transaction; the CLI's `sync`."""
    repository = load_repository(Path(courses_dir or current_app.config["ACADEMY_COURSES_DIR"]))
    session = db.session
    try:
        report = sync_repository(session, repository)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    report.warnings = repository.warnings
    return report


@click.command("sync")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@with_appcontext
@in_operator_language
def sync_command(path: Path | None) -> None:
    """Publish the course repository (default: ACADEMY_COURSES_DIR) into the database."""
    if pending(db.engine):
        raise click.ClickException(_("the database is not up to date: run 'academy db upgrade'"))
    try:
        report = sync_courses(path)
    except SQLAlchemyError as exc:
        raise click.ClickException(
            _(
                "the database refused the courses (%(error)s); nothing was changed",
                error=type(exc).__name__,
            )
        ) from None
    except InvalidRepository as exc:
        # Each problem is a checker diagnostic (file:line: message [id]): English, like the checker.
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(
            ngettext(
                "Sync stopped: %(num)d problem to fix. The database was not changed.",
                "Sync stopped: %(num)d problems to fix. The database was not changed.",
                len(exc.problems),
            ),
            err=True,
        )
        sys.exit(1)
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    for line in report_lines(report):
        click.echo(line)


def report_lines(report: SyncReport) -> list[str]:
    """What a sync changed, one line per change, in the operator's language."""
    if not report.changed:
        return [_("Nothing to do: the database already matches the courses.")]
    # SyncReport.lines() in translation: academy/sync.py itself stays free of Flask-Babel.
    labels = {
        "courses_added": _("new course: %(item)s"),
        "courses_updated": _("course details updated: %(item)s"),
        "versions_added": _("published: %(item)s"),
        "texts_refreshed": _("re-rendered (same content): %(item)s"),
        "retired": _("no longer in the repository, kept for progress: %(item)s"),
    }
    return [
        label % {"item": item} for name, label in labels.items() for item in getattr(report, name)
    ]


def repository_root(path: Path) -> Path:
    """The repository folder holding `path`, which may be a course or a module folder."""
    if (path / "course.yaml").is_file():
        return path.parent
    if (path / "lesson.md").is_file():
        return path.parent.parent
    return path


def published_lookup() -> Callable[[str], dict[str, str]] | None:
    """Published versions from the app's database, or None when it has none yet."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return None
    try:
        if pending(db.engine):
            return None
    except SQLAlchemyError:
        return None
    return lambda module_id: published_versions(db.session, module_id)


@click.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--base", metavar="REF", help="Compare with a git ref (a pull request's target).")
@click.option(
    "--format",
    "style",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    help="text for people, github for Actions annotations, json for tools.",
)
@with_appcontext
@in_operator_language
def check_command(path: Path | None, strict: bool, base: str | None, style: str) -> None:
    """Check the course repository, or one course or module folder, and report every problem."""
    target = (path or Path(current_app.config["ACADEMY_COURSES_DIR"])).resolve()
    root = repository_root(target)
    try:
        lookup = git_base(root, base) if base else None
    except ContentError as exc:
        raise click.UsageError(str(exc)) from None
    report = check_repository(
        root, only=target if target != root else None, base=lookup, published=published_lookup()
    )
    click.echo(FORMATS[style](report))
    sys.exit(1 if report.failed(strict) else 0)


@click.command("preview")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
@in_operator_language
def preview_command(host: str, port: int) -> None:
    """Serve the courses as trainees will see them, following your edits (for authors)."""
    from academy import create_app

    database = Path(current_app.instance_path) / "preview.sqlite3"
    app = create_app(
        {
            "ACADEMY_PREVIEW": True,
            "ACADEMY_DATABASE_URL": f"sqlite:///{database}",
            "ACADEMY_COURSES_DIR": current_app.config["ACADEMY_COURSES_DIR"],
        }
    )
    with app.app_context():
        upgrade(db.engine)
    click.echo(
        _(
            "Preview of %(path)s on http://%(host)s:%(port)s "
            "(edits show on reload; Ctrl+C to stop)",
            path=app.config["ACADEMY_COURSES_DIR"],
            host=host,
            port=port,
        )
    )
    # run_simple, not app.run: Flask ignores app.run inside its own CLI.
    run_simple(host, port, app, use_reloader=True, use_debugger=True)


@click.group("new", cls=AppGroup)
def new_group() -> None:
    """Start a new course or module from commented, valid files."""


def _scaffolded(make: Callable[[], Path]) -> None:
    """Run a scaffold step and say what it made, or why it made nothing."""
    try:
        folder = make()
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Created %(path)s. Edit its lesson.md, then run 'academy check'.", path=folder))


@new_group.command("course")
@click.argument("slug")
@click.option("--title", help="The course title (default: made from SLUG).")
@in_operator_language
def new_course_command(slug: str, title: str | None) -> None:
    """Create courses/SLUG with a course.yaml and a first module."""
    root = Path(current_app.config["ACADEMY_COURSES_DIR"])
    _scaffolded(lambda: new_course(root, slug, title))


@new_group.command("module")
@click.argument("course")
@click.argument("slug")
@click.option("--title", help="The module title (default: made from SLUG).")
@in_operator_language
def new_module_command(course: str, slug: str, title: str | None) -> None:
    """Add module SLUG to COURSE, numbered after the last one and listed in course.yaml."""
    root = Path(current_app.config["ACADEMY_COURSES_DIR"])
    _scaffolded(lambda: new_module(root, course, slug, title))


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
@in_operator_language
def db_upgrade() -> None:
    """Apply every pending migration (creates the database on first use)."""
    upgrade(db.engine)
    click.echo(_("Database is up to date."))


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
@in_operator_language
def backup_command(target: Path) -> None:
    """Write everything the site stores to TARGET (gzip JSON), consistent while it runs."""
    try:
        counts = backup(db.engine, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Wrote %(path)s: %(rows)s in %(tables)s.", path=target, **_sizes(counts)))


@click.command("restore")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
@in_operator_language
def restore_command(source: Path) -> None:
    """Load a backup into this (empty) database and bring it up to date."""
    try:
        counts = restore(db.engine, source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Restored %(rows)s in %(tables)s from %(path)s.", path=source, **_sizes(counts)))


def _sizes(counts: dict[str, int]) -> dict[str, str]:
    """The rows and tables of a backup, each counted with its own plural form."""
    rows = sum(counts.values())
    return {
        "rows": ngettext("%(num)d row", "%(num)d rows", rows),
        "tables": ngettext("%(num)d table", "%(num)d tables", len(counts)),
    }


def main() -> None:
    """Entry point of the `academy` console script."""
    from academy import create_app

    FlaskGroup(create_app=create_app, help="Academy: courses, commands and the web app.")()
