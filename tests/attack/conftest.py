"""Attack fixtures: a lived-in site with two facilitators' cohorts, and whole-database snapshots."""

from __future__ import annotations

import re
from functools import cache
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from academy.accounts.passwords import hash_password
from academy.accounts.usernames import username_key
from academy.db import db
from academy.models import Base, CohortMember, SharedAnswer, User
from tests.conftest import PASSWORD
from tests.learn.test_attempts import RIGHT, _ticket


def snapshot(app) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table as text: two equal snapshots prove nothing was written."""
    # A session's "last seen" time is left out: it moves on any request, by design.
    with app.app_context():
        rows = {}
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name != "last_seen_at"]
            rows[table.name] = sorted(
                tuple(str(value) for value in row) for row in db.session.execute(select(*columns))
            )
        return rows


def count(app, model) -> int:
    """How many rows `model` has."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def csrf_token(client, url: str) -> str:
    """The CSRF token of the first form on `url`, as a browser would send it."""
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def _start_cohort(facilitator, course: str, name: str) -> tuple[str, str]:
    """Start a cohort through the form; its public id and join code."""
    created = facilitator.post("/f/", data={"course": course, "name": name, "language": "en"})
    assert created.status_code == 303, created.get_data(as_text=True)
    cohort = created.headers["Location"].rsplit("/", 1)[1]
    page = facilitator.get(f"/f/g/{cohort}").get_data(as_text=True)
    return cohort, re.search(r"Code to join: <strong>([A-Z0-9-]+)</strong>", page).group(1)


@cache
def _password_hash() -> str:
    """One argon2 hash of PASSWORD for every account of the scene: hashing is the slow part."""
    return hash_password(PASSWORD)


def signed_in(app, name: str, role: str = "trainee"):
    """A client signed in (through the sign-in form) as a new account `name`."""
    with app.app_context():
        key = username_key(name)
        hashed = _password_hash()
        db.session.add(User(username=name, username_key=key, password_hash=hashed, role=role))
        db.session.commit()
    client = app.test_client()
    response = client.post("/sign-in", data={"username": name, "password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def _member(app, name: str, code: str):
    """A new trainee, signed in, who joined the cohort with `code`."""
    client = signed_in(app, name)
    assert client.post("/group/join", data={"code": code}).status_code == 303
    return client


@pytest.fixture
def site(app):
    """A site in use: fatima's cohort (rose, lily), omar's cohort (ana), an admin (root)."""
    # rose passed the first quiz (her result is `result`) and shared an answer (`answer`).
    fatima = signed_in(app, "fatima", "facilitator")
    omar = signed_in(app, "omar", "facilitator")
    root = signed_in(app, "root", "admin")
    course = re.search(r'href="/c/([^"]+)"', fatima.get("/").get_data(as_text=True)).group(1)
    first, second = re.findall(
        r'href="/m/([^"/]+)"', fatima.get(f"/c/{course}").get_data(as_text=True)
    )
    cohort, code = _start_cohort(fatima, course, "Tuesday group")
    other_cohort, other_code = _start_cohort(omar, course, "Thursday group")
    rose = _member(app, "rose", code)
    lily = _member(app, "lily", code)
    ana = _member(app, "ana", other_code)
    quiz = f"/m/{first}/q"
    taken = rose.post(quiz, data={"ticket": _ticket(rose, quiz), **RIGHT})
    assert taken.status_code == 303
    assert (
        rose.post(f"/m/{first}/share/1", data={"body": "Figs from the market"}).status_code == 303
    )
    with app.app_context():
        answer = db.session.scalar(select(SharedAnswer.public_id))
        rose_member = db.session.scalar(
            select(CohortMember.id).join(User).where(User.username == "rose")
        )
    return SimpleNamespace(
        app=app,
        fatima=fatima,
        omar=omar,
        root=root,
        rose=rose,
        lily=lily,
        ana=ana,
        course=course,
        first=first,
        second=second,
        cohort=cohort,
        code=code,
        other_cohort=other_cohort,
        other_code=other_code,
        result=taken.headers["Location"],
        answer=answer,
        rose_member=rose_member,
    )
