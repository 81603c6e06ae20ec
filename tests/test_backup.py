"""`academy backup` / `academy restore`: everything comes back, on SQLite and PostgreSQL."""

import gzip
import uuid

import pytest
from sqlalchemy import create_engine, select, text

from academy import create_app
from academy.db import db
from academy.models import Base
from tests.conftest import PASSWORD, POSTGRES_URL


@pytest.fixture
def other_database(database_url, tmp_path):
    """A second, empty database of the same kind as the test's."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/restored.sqlite3"
        return
    schema = f"r_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _everything(app):
    with app.app_context():
        return {
            table.name: sorted(
                tuple(str(value) for value in row) for row in db.session.execute(select(table))
            )
            for table in Base.metadata.sorted_tables
        }


def _app_on(url, tmp_path):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "ACADEMY_DATABASE_URL": url,
            "ACADEMY_PDF_CACHE_DIR": str(tmp_path / "pdf-restored"),
        }
    )


def test_a_backup_restores_every_row_and_the_site_works_on_it(lived_in, other_database, tmp_path):
    app, _facilitator, _trainee = lived_in
    target = tmp_path / "site.backup.json.gz"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and "rows in" in result.output
    assert target.stat().st_mode & 0o777 == 0o600  # no other account on the server can read it

    restored = _app_on(other_database, tmp_path)
    result = restored.test_cli_runner().invoke(args=["restore", str(target)])
    assert result.exit_code == 0, result.output
    before, after = _everything(app), _everything(restored)
    assert after == before
    assert all(before[name] for name in ("user_account", "quiz_attempt", "shared_answer"))

    # the site runs on the restored data: passwords, progress, results, the cohort
    client = restored.test_client()
    assert (
        client.post("/sign-in", data={"username": "rose", "password": PASSWORD}).status_code == 303
    )
    assert "1 of 2 done" in client.get("/progress").get_data(as_text=True)
    # and new rows get new ids (PostgreSQL's sequences were moved past the restored ones)
    other = restored.test_client()
    other.post("/join", data={"username": "lily", "password": PASSWORD})
    assert other.get("/account").status_code == 200
    with restored.app_context():
        db.engine.dispose()


def test_restoring_into_a_database_with_data_is_refused_and_changes_nothing(lived_in, tmp_path):
    app, _facilitator, _trainee = lived_in
    target = tmp_path / "site.backup.json.gz"
    app.test_cli_runner().invoke(args=["backup", str(target)])
    before = _everything(app)
    result = app.test_cli_runner().invoke(args=["restore", str(target)])
    assert result.exit_code != 0
    assert "the database is not empty" in result.output and "Traceback" not in result.output
    assert _everything(app) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no file"),
        (b"not gzip at all", "is not an Academy backup"),
        (gzip.compress(b'{"format": "something-else"}'), "is not an Academy backup"),
        (gzip.compress(b'{"format": "academy-backup", "version": 99}'), "cannot read"),
    ],
)
def test_a_file_that_is_not_a_backup_gets_a_clear_error(make_app, tmp_path, content, message):
    app = make_app()
    source = tmp_path / "file.gz"
    if content is not None:
        source.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["restore", str(source)])
    assert result.exit_code != 0 and message in result.output, result.output


def test_a_sqlite_backup_restores_into_postgresql(lived_in, tmp_path, database_url):
    if not database_url.startswith("sqlite") or not POSTGRES_URL:
        pytest.skip("moves a SQLite site to PostgreSQL: runs once, with PostgreSQL available")
    app, _facilitator, _trainee = lived_in
    target = tmp_path / "site.backup.json.gz"
    app.test_cli_runner().invoke(args=["backup", str(target)])
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in POSTGRES_URL else "?"
        restored = _app_on(f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}", tmp_path)
        result = restored.test_cli_runner().invoke(args=["restore", str(target)])
        assert result.exit_code == 0, result.output
        before, after = _everything(app), _everything(restored)
        assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in before.items()}
        client = restored.test_client()
        response = client.post("/sign-in", data={"username": "rose", "password": PASSWORD})
        assert response.status_code == 303
        with restored.app_context():
            db.engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
