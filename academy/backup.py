"""`academy backup` and `academy restore`: every table in one portable, consistent file.

The file is gzip-compressed JSON: the schema revision it was taken at, then each table's
columns and rows. It restores into an empty database of either kind (SQLite or PostgreSQL),
at its own revision first and then upgraded, so an old backup still comes back.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from flask_babel import gettext as _
from sqlalchemy import JSON, Engine, MetaData, func, insert, select, text

from academy.migrate import upgrade

FORMAT = "academy-backup"
FORMAT_VERSION = 1
SKIPPED = {"alembic_version"}


class BackupError(ValueError):
    """A backup that cannot be made or restored; the message says why, in the interface language."""


def backup(engine: Engine, target: Path) -> dict[str, int]:
    """Write every row of every table to `target`; returns the row count per table."""
    counts: dict[str, int] = {}
    with engine.connect() as connection:
        # One read transaction: what a running site writes meanwhile is either all in or out.
        if engine.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("SELECT 1 FROM sqlite_master LIMIT 1")
            revision = MigrationContext.configure(connection).get_current_revision()
            if revision is None:
                raise BackupError(_("the database has no schema yet: run 'academy db upgrade'"))
            metadata = MetaData()
            metadata.reflect(connection)
            tables = {}
            for table in metadata.sorted_tables:
                if table.name in SKIPPED:
                    continue
                order = list(table.primary_key.columns) or list(table.columns)
                rows = connection.execute(select(table).order_by(*order)).all()
                tables[table.name] = {
                    "columns": [column.name for column in table.columns],
                    "rows": [[_encode(value) for value in row] for row in rows],
                }
                counts[table.name] = len(rows)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "revision": revision,
        "made_at": datetime.now(UTC).isoformat(),
        "tables": tables,
    }
    draft = target.with_name(target.name + ".part")
    # Readable by its owner only, from the first byte: it holds every trainee's progress.
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False)
    draft.replace(target)  # a backup file is whole or absent, never half-written
    return counts


def restore(engine: Engine, source: Path) -> dict[str, int]:
    """Load a backup into an empty database, then upgrade it; all or nothing."""
    document = _read(source)
    upgrade(engine, document["revision"])
    with engine.begin() as connection:
        metadata = MetaData()
        metadata.reflect(connection)
        for table in metadata.sorted_tables:
            if table.name not in SKIPPED and connection.scalar(
                select(func.count()).select_from(table)
            ):
                raise BackupError(
                    _(
                        "the database is not empty (table %(table)s has rows): restore into "
                        "a new, empty database",
                        table=table.name,
                    )
                )
        counts = {}
        for table in metadata.sorted_tables:
            if table.name in SKIPPED or table.name not in document["tables"]:
                continue
            saved = document["tables"][table.name]
            unknown = set(saved["columns"]) - set(table.columns.keys())
            if unknown:
                raise BackupError(
                    _(
                        "table %(table)s has no column %(column)s",
                        table=table.name,
                        column=sorted(unknown)[0],
                    )
                )
            rows = [
                {
                    name: _decode(value, table.columns[name].type)
                    for name, value in zip(saved["columns"], row, strict=True)
                }
                for row in saved["rows"]
            ]
            if rows:
                connection.execute(insert(table), rows)
            counts[table.name] = len(rows)
            if engine.dialect.name == "postgresql" and "id" in table.columns:
                # Rows came with their ids: the next new row must not reuse one.
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    upgrade(engine)
    return counts


def _read(source: Path) -> dict:
    """The backup document, or a clear error."""
    try:
        with gzip.open(source, "rt", encoding="utf-8") as file:
            document = json.load(file)
    except FileNotFoundError:
        raise BackupError(_("no file %(path)s", path=source)) from None
    except (OSError, EOFError, ValueError):
        raise BackupError(
            _("%(path)s is not an Academy backup (or it is damaged)", path=source)
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(_("%(path)s is not an Academy backup", path=source))
    if document.get("version") != FORMAT_VERSION:
        raise BackupError(_("%(path)s is a backup format this version cannot read", path=source))
    return document


def _encode(value):
    """A database value as JSON: dates and times tagged, bytes in base64."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"bytes": base64.b64encode(bytes(value)).decode()}
    return value


def _decode(value, column_type):
    """A JSON value back as the column's Python value (a JSON column's data is left alone)."""
    if isinstance(value, dict) and len(value) == 1 and not isinstance(column_type, JSON):
        ((kind, encoded),) = value.items()
        if kind == "datetime":
            return datetime.fromisoformat(encoded)
        if kind == "date":
            return date.fromisoformat(encoded)
        if kind == "bytes":
            return base64.b64decode(encoded)
    return value
