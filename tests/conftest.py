"""Shared fixtures: course folders to break, databases on SQLite and PostgreSQL, the app."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import create_engine, text

from academy import create_app
from academy.cli import sync_courses
from academy.db import db
from academy.migrate import upgrade

FIXTURES = Path(__file__).parent / "fixtures"
REPO_ROOT = Path(__file__).parent.parent
POSTGRES_URL = os.environ.get("ACADEMY_TEST_POSTGRES_URL", "")
REDIS_URL = os.environ.get("ACADEMY_TEST_REDIS_URL", "")


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the interface catalogues, as `make` does, so tests see the translated site."""
    for po in (REPO_ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        with open(po, "rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with open(po.with_suffix(".mo"), "wb") as target:
            write_mo(target, catalog)


@pytest.fixture
def fixture_repo(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a fixture course repository into a temporary `courses/` folder and return it."""

    def copy(name: str = "good") -> Path:
        target = tmp_path / name / "courses"
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, or a throwaway PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/academy.sqlite3"
        return
    if not POSTGRES_URL:
        message = "set ACADEMY_TEST_POSTGRES_URL to run the PostgreSQL tests"
        if os.environ.get("ACADEMY_TEST_REQUIRE_POSTGRES"):
            pytest.fail(message)
        pytest.skip(message)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def make_app(database_url: str, tmp_path: Path):
    """Build an app on the test database with its schema migrated; `courses` picks content."""
    apps = []

    def build(courses: Path | None = None, **config):
        app = create_app(
            {
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,  # tests that check CSRF turn it back on
                "SECRET_KEY": "test",
                "ACADEMY_DATABASE_URL": database_url,
                "ACADEMY_COURSES_DIR": str(courses or FIXTURES / "good"),
                "ACADEMY_PDF_CACHE_DIR": str(tmp_path / f"pdf-cache-{len(apps)}"),
                **config,
            }
        )
        with app.app_context():
            upgrade(db.engine)
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """An app with the good fixture courses synced."""
    app = make_app()
    with app.app_context():
        sync_courses()
    return app


@pytest.fixture
def client(app):
    """A test client for the synced app."""
    return app.test_client()


PASSWORD = "river stones 42"


@pytest.fixture
def sign_up():
    """Make an account through the sign-up form; the client stays signed in."""

    def make(client, username: str = "rose", password: str = PASSWORD):
        response = client.post("/join", data={"username": username, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)
        return response

    return make


@pytest.fixture
def trainee(client, sign_up):
    """A client signed in as a new trainee."""
    sign_up(client)
    return client


@pytest.fixture
def redis_url() -> str:
    """The Redis server named by ACADEMY_TEST_REDIS_URL (a shared store for several workers)."""
    if not REDIS_URL:
        message = "set ACADEMY_TEST_REDIS_URL to run the Redis tests"
        if os.environ.get("ACADEMY_TEST_REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


@pytest.fixture
def make_user(app):
    """Create an account with a role directly (as `academy user create` does)."""
    from academy.accounts import operations

    def make(name: str, role: str = "trainee"):
        with app.app_context():
            operations.create_account(db.session, name, PASSWORD, role)
            db.session.commit()

    return make


@pytest.fixture
def facilitator(app, make_user):
    """A client signed in as a facilitator."""
    make_user("fatima", "facilitator")
    client = app.test_client()
    response = client.post("/sign-in", data={"username": "fatima", "password": PASSWORD})
    assert response.status_code == 303
    return client


@pytest.fixture
def make_user_on():
    """Create an account with a role on `app` and return a client signed in as it."""
    from academy.accounts import operations

    def make(app, name: str, role: str = "trainee"):
        with app.app_context():
            operations.create_account(db.session, name, PASSWORD, role)
            db.session.commit()
        client = app.test_client()
        response = client.post("/sign-in", data={"username": name, "password": PASSWORD})
        assert response.status_code == 303
        return client

    return make


@pytest.fixture
def lived_in(app, make_user_on, sign_up):
    """A site that has been used: a facilitator's cohort, a session held, a pack downloaded, a
    trainee who joined, read, passed a quiz, shared an answer and is linked to a learning
    platform's user (LTI). Returns (app, facilitator client, trainee client)."""
    import re

    from tests.learn.test_attempts import RIGHT, _ticket

    facilitator = make_user_on(app, "fatima", "facilitator")
    course = re.search(r'href="/c/([^"]+)"', facilitator.get("/").get_data(True)).group(1)
    first = re.findall(r'href="/m/([^"/]+)"', facilitator.get(f"/c/{course}").get_data(True))[0]
    created = facilitator.post("/f/", data={"course": course, "name": "Group", "language": "en"})
    cohort = created.headers["Location"].rsplit("/", 1)[1]
    page = facilitator.get(f"/f/g/{cohort}").get_data(as_text=True)
    code = re.search(r"Code to join: <strong>([A-Z0-9-]+)</strong>", page).group(1)
    facilitator.post(
        f"/f/g/{cohort}/sessions", data={"module": first, "held_on": "2026-11-20", "present": "9"}
    )
    facilitator.get(f"/f/m/{first}/pack.pdf")  # a pack download
    trainee = app.test_client()
    sign_up(trainee, "rose")
    trainee.post("/group/join", data={"code": code})
    trainee.get(f"/m/{first}")  # progress
    trainee.post(f"/m/{first}/q", data={"ticket": _ticket(trainee, f"/m/{first}/q"), **RIGHT})
    trainee.post(f"/m/{first}/share/1", data={"body": "Figs"})
    _link_to_a_platform(app, "rose")
    return app, facilitator, trainee


def _link_to_a_platform(app, name: str) -> None:
    """Link an account to a learning platform's user, as an LTI launch does (tests/lti)."""
    from sqlalchemy import select

    from academy.lti import operations as lti
    from academy.models import LtiAccount, User

    details = lti.PlatformDetails(
        "https://lms.example.org", "academy", "1", *["https://lms.example.org/x"] * 3
    )
    with app.app_context():
        platform = lti.register_platform(db.session, details)
        user_id = db.session.scalar(select(User.id).where(User.username_key == name))
        db.session.add(LtiAccount(platform_id=platform.id, sub="opaque-1", user_id=user_id))
        db.session.commit()
