"""The database: one SQLAlchemy engine per app and one session per request or command."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
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
