"""The `academy` command: Flask's own commands (run, shell) plus Academy's."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from academy.content import InvalidRepository, load_repository
from academy.db import db
from academy.migrate import pending, upgrade
from academy.sync import SyncReport, sync_repository


def init_app(app: Flask) -> None:
    """Register Academy's commands on the app, so `academy X` and `flask X` both work."""
    app.cli.add_command(sync_command)
    app.cli.add_command(db_group)


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
def sync_command(path: Path | None) -> None:
    """Publish the course repository (default: ACADEMY_COURSES_DIR) into the database."""
    if pending(db.engine):
        raise click.ClickException("the database is not up to date: run 'academy db upgrade'")
    try:
        report = sync_courses(path)
    except InvalidRepository as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        click.echo(
            f"Sync stopped: {count} problem{'s' if count != 1 else ''} to fix. "
            "The database was not changed.",
            err=True,
        )
        sys.exit(1)
    for warning in report.warnings:
        click.echo(str(warning), err=True)
    for line in report.lines():
        click.echo(line)


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Manage the database schema."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (creates the database on first use)."""
    upgrade(db.engine)
    click.echo("Database is up to date.")


def main() -> None:
    """Entry point of the `academy` console script."""
    from academy import create_app

    FlaskGroup(create_app=create_app, help="Academy: courses, commands and the web app.")()
