"""The author's preview: the site on its own database, following every edit to courses/."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, Response, current_app, render_template

from academy.content import inspect_repository
from academy.db import db
from academy.sync import sync_repository

STAMP = "academy.preview_stamp"


def init_app(app: Flask) -> None:
    """Re-read the courses before each request when any of their files changed."""
    app.extensions[STAMP] = None
    app.before_request(refresh)


def tree_stamp(root: Path) -> tuple:
    """Names, sizes and modification times of every file: changes when anything is edited."""
    return tuple(
        (str(path), stat.st_size, stat.st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )


def refresh() -> Response | None:
    """Sync edited courses into the preview database, or show the author what is wrong."""
    root = Path(current_app.config["ACADEMY_COURSES_DIR"])
    stamp = tree_stamp(root)
    if stamp == current_app.extensions[STAMP]:
        return None
    repository, problems = inspect_repository(root, audience="facilitator")
    errors = [problem for problem in problems if problem.is_error]
    if errors:
        page = render_template("site/preview_problems.html", problems=problems)
        return Response(page, status=500)
    sync_repository(db.session, repository, overwrite=True)
    db.session.commit()
    current_app.extensions[STAMP] = stamp
    return None
