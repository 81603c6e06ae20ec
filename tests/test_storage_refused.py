"""A database that refuses writes (read-only, disk full): a clear 503, nothing half-saved."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from academy.db import db, storage_refused
from academy.models import QuizAttempt, SharedAnswer
from tests.learn.test_attempts import RIGHT, _first_module, _ticket


def _refuse_writes(app) -> None:
    """From now on every connection is read-only, as after a remount or a full disk."""
    with app.app_context():
        engine = db.engine
        statement = (
            "PRAGMA query_only = ON"
            if engine.dialect.name == "sqlite"
            else "SET default_transaction_read_only = on"
        )

        @event.listens_for(engine, "connect")
        def read_only(connection, _record):
            cursor = connection.cursor()
            cursor.execute(statement)
            cursor.close()

        engine.dispose()  # open connections are replaced by read-only ones


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(QuizAttempt.id))),
            db.session.scalar(select(func.count(SharedAnswer.id))),
        )


def test_a_quiz_sent_to_a_read_only_database_gets_a_clear_503_and_nothing_is_stored(app, trainee):
    quiz_url = _first_module(trainee) + "/q"
    form = {"ticket": _ticket(trainee, quiz_url), **RIGHT}
    _refuse_writes(app)
    response = trainee.post(quiz_url, data=form)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "120"
    page = response.get_data(as_text=True)
    assert "Nothing can be saved right now" in page and "nothing was half-saved" in page
    assert "Traceback" not in page and "INSERT" not in page
    assert _counts(app) == (0, 0)


def test_reading_goes_on_while_nothing_can_be_saved(app, trainee):
    module = _first_module(trainee)
    _refuse_writes(app)
    # Opening a module notes progress: that note is lost, the page is not.
    response = trainee.get(module)
    assert response.status_code == 200 and 'class="lesson"' in response.get_data(as_text=True)
    assert trainee.get("/progress").status_code == 200


def test_a_bug_in_a_query_is_still_a_500_not_a_storage_message(app):
    with app.app_context():
        with pytest.raises(DBAPIError) as caught:
            db.session.execute(text("SELECT * FROM no_such_table"))
        assert storage_refused(caught.value) is False


def test_a_full_sqlite_disk_is_recognised(tmp_path):
    # SQLite's own limit on the file's size stands in for a full disk: SQLITE_FULL.
    engine = create_engine(f"sqlite:///{tmp_path}/full.sqlite3")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x BLOB)"))
        pages = connection.execute(text("PRAGMA page_count")).scalar()
        connection.execute(text(f"PRAGMA max_page_count = {pages}"))
    with pytest.raises(OperationalError) as caught, engine.begin() as connection:
        connection.execute(text(f"PRAGMA max_page_count = {pages}"))
        connection.execute(text("INSERT INTO t VALUES (:x)"), {"x": b"0" * 100_000})
    assert isinstance(caught.value.orig, sqlite3.OperationalError)
    assert storage_refused(caught.value) is True
    engine.dispose()
