"""The database: one SQLAlchemy engine per app and one session per request or command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

# Plain SQLAlchemy rather than Flask-SQLAlchemy: that extension allows one instance per app,
# which would clash with a host site that already uses it when Academy is mounted as a plugin.


class Database:
    """Binds an engine to each app; `db.session` is the current request's session."""

    def init_app(self, app: Flask) -> None:
        """Create the app's engine and close the request's session at teardown."""
        url = app.config["ACADEMY_DATABASE_URL"]
        engine = make_engine(url)
        app.extensions["academy.db"] = sessionmaker(engine, expire_on_commit=False)
        app.teardown_appcontext(self._close)

    @property
    def engine(self) -> Engine:
        """The current app's engine."""
        return current_app.extensions["academy.db"].kw["bind"]

    @property
    def session(self) -> Session:
        """The session owned by the current request (or CLI command), opened on first use."""
        if "academy_session" not in g:
            g.academy_session = current_app.extensions["academy.db"]()
        return g.academy_session

    @staticmethod
    def _close(exc: BaseException | None) -> None:
        """Roll back anything uncommitted and release the connection."""
        session = g.pop("academy_session", None)
        if session is not None:
            session.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`, with SQLite set up for several readers and a safe writer."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # pool_pre_ping: after the database server restarts, each worker finds its old connections
    # dead and opens new ones, instead of failing one request per stale connection.
    # hide_parameters: a failed statement's error (which reaches the log) names no username,
    # answer or password hash, only the SQL.
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    """WAL lets pages be read while sync writes; foreign keys are off by default in SQLite."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


db = Database()


# SQLite's result codes for a file that cannot grow or be written to.
SQLITE_REFUSALS = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN")
# PostgreSQL: a read-only transaction or server (25006), and insufficient resources (53xxx:
# disk full, out of memory, too many connections), and a server starting or stopping (57P03).
POSTGRES_REFUSALS = ("25006", "53", "57P03")


def storage_refused(error: DBAPIError) -> bool:
    """True when the database refused for want of room or write access, not for a bug."""
    cause = error.orig
    name = getattr(cause, "sqlite_errorname", "") or ""
    state = getattr(cause, "sqlstate", "") or ""
    return name.startswith(SQLITE_REFUSALS) or state.startswith(POSTGRES_REFUSALS)


def write_if_possible(write: Callable[[], object] | None = None) -> bool:
    """Make and commit a write a page can live without (progress, "last seen").

    When the database refuses it (full, read-only) the write is rolled back and the page goes
    on; False says so. Any other error is raised as usual.
    """
    try:
        if write is not None:
            write()
        db.session.commit()
    except DBAPIError as error:
        if not storage_refused(error):
            raise
        db.session.rollback()
        current_app.logger.warning("the database refused a write: %s", type(error.orig).__name__)
        return False
    return True
