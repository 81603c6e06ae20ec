"""Double taps and races: one form stores one row, and concurrent requests never crash."""

# Worker crashes (kill -9 mid-request) and several gunicorn workers are covered in
# tests/test_workers.py; these races run in threads against one app, on SQLite and PostgreSQL.

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from academy.db import db
from academy.models import CohortMember, QuizAttempt, User
from tests.attack.conftest import count, snapshot
from tests.conftest import PASSWORD
from tests.learn.test_attempts import RIGHT, _ticket


def _race(app, client, requests: list[tuple[str, dict]]):
    """Send the POSTs at the same moment, each from a browser sharing `client`'s cookies."""
    start = threading.Barrier(len(requests))

    def send(request: tuple[str, dict]):
        browser = app.test_client()
        if client is not None:
            browser.set_cookie("session", client.get_cookie("session").value)
        start.wait()  # every thread sends together, to make the race as tight as it gets
        return browser.post(request[0], data=request[1])

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def test_double_submitted_quiz_form_stores_one_attempt(site):
    quiz = f"/m/{site.first}/q"
    data = {"ticket": _ticket(site.lily, quiz), **RIGHT}
    first = site.lily.post(quiz, data=data)
    before = snapshot(site.app)
    again = [site.lily.post(quiz, data=data) for _ in range(2)]  # a double tap, a resend
    assert [r.status_code for r in [first, *again]] == [303, 303, 303]
    assert {r.headers["Location"] for r in [first, *again]} == {first.headers["Location"]}
    assert snapshot(site.app) == before


@pytest.mark.parametrize("forms", ["same-form", "two-forms"])
def test_concurrent_quiz_submissions_never_error(site, forms):
    quiz = f"/m/{site.first}/q"
    tickets = [_ticket(site.lily, quiz)] * 2 if forms == "same-form" else []
    tickets = tickets or [_ticket(site.lily, quiz), _ticket(site.lily, quiz)]
    before = count(site.app, QuizAttempt)
    responses = _race(site.app, site.lily, [(quiz, {"ticket": t, **RIGHT}) for t in tickets])
    assert [r.status_code for r in responses] == [303, 303]
    locations = {r.headers["Location"] for r in responses}
    expected = 1 if forms == "same-form" else 2
    assert len(locations) == expected
    assert count(site.app, QuizAttempt) == before + expected


def test_two_people_racing_for_one_username_get_one_account(app):
    data = {"username": "rose", "password": PASSWORD}
    responses = _race(app, None, [("/join", data), ("/join", {**data, "username": "ROSE"})])
    assert sorted(r.status_code for r in responses) == [303, 400]
    refused = next(r for r in responses if r.status_code == 400)
    assert "Someone already uses this username" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(User.username_key)).all() == ["rose"]


def test_double_tap_on_join_makes_one_membership(site):
    before = count(site.app, CohortMember)
    responses = _race(
        site.app,
        site.ana,
        [("/group/join", {"code": site.code}), ("/group/join", {"code": site.code})],
    )
    assert [r.status_code for r in responses] == [303, 303]
    assert count(site.app, CohortMember) == before + 1
