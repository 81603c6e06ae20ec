"""Canaries: a username, a password and answers typed through the site never reach any log."""

from __future__ import annotations

import logging
import re

import pytest

from academy.cli import sync_courses
from tests.real_server import gunicorn
from tests.test_workers import Browser, _field

# Words that appear nowhere else: finding one in a log means the log kept what a trainee typed.
NAME = "canaryname7731"
PASSWORD = "canary pass 9d2f"
NEW_PASSWORD = "canary newpass 41c7"
TYPED_ANSWER = "canaryanswer5518"
SHARED = "canaryshare2210"
CANARIES = (NAME, PASSWORD, NEW_PASSWORD, TYPED_ANSWER, SHARED)


def _journey(get, post) -> None:
    """Sign up, sign in wrongly and rightly, answer a quiz, change password, export, sign out."""
    status, page, _ = get("/join?next=/" + NAME)
    data = {"username": NAME, "password": PASSWORD, "csrf_token": _field(page, "csrf_token")}
    assert post("/join", data)[0] == 303
    status, page, _ = get("/sign-in")
    token = _field(page, "csrf_token")
    assert post("/sign-out", {"csrf_token": token})[0] == 303
    _, page, _ = get("/sign-in")
    wrong = {"username": NAME, "password": PASSWORD + "x", "csrf_token": _field(page, "csrf_token")}
    assert post("/sign-in", wrong)[0] == 400
    right = {**wrong, "password": PASSWORD}
    assert post("/sign-in", right)[0] == 303
    _, home, _ = get("/")
    course = re.search(r'href="(/c/[^"]+)"', home).group(1)
    module = re.findall(r'href="(/m/[^"/]+)"', get(course)[1])[0]
    _, quiz, _ = get(module + "/q")
    answers = {
        "csrf_token": _field(quiz, "csrf_token"),
        "ticket": _field(quiz, "ticket"),
        "q1": "1",
        "q2": ["0", "1"],
        "q3": "0",
        "q4": TYPED_ANSWER,
    }
    assert post(module + "/q", answers)[0] == 303
    _, account, _ = get("/account")
    change = {
        "csrf_token": _field(account, "csrf_token"),
        "change-password": PASSWORD,
        "change-new_password": NEW_PASSWORD,
    }
    assert post("/account/password", change)[0] == 303
    _, account, _ = get("/account")
    export = {"csrf_token": _field(account, "csrf_token"), "export-password": NEW_PASSWORD}
    status, body, _ = post("/account/export", export)
    assert status == 200 and NAME in body  # the trainee's own file holds it; no log does
    assert post("/sign-out", {"csrf_token": _field(account, "csrf_token")})[0] == 303


def test_no_canary_in_the_apps_own_logs_at_debug_level(make_app, caplog):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        sync_courses()
    client = app.test_client()

    def get(path):
        response = client.get(path)
        return response.status_code, response.get_data(as_text=True), response.headers

    def post(path, data):
        response = client.post(path, data=data)
        return response.status_code, response.get_data(as_text=True), response.headers

    # Everything, SQL statements included: the database layer is where values leak first.
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        _journey(get, post)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert "INSERT INTO user_account" in caplog.text  # the statements were logged...
    assert [word for word in CANARIES if word in caplog.text] == []  # ...their values were not


def test_no_canary_in_gunicorns_access_and_error_logs(make_app, database_url, tmp_path):
    app = make_app()
    with app.app_context():
        sync_courses()
    # The most gunicorn ever says: every request it handles, at debug level.
    debug = {"GUNICORN_CMD_ARGS": "--log-level debug"}
    with gunicorn(app, database_url, tmp_path, workers=2, **debug) as (base, log):
        browser = Browser(base)
        _journey(browser.get, browser.post)
    text = log.read_text()
    assert '"POST /account/password" 303' in text  # the requests were logged...
    assert [word for word in CANARIES if word in text] == []  # ...what was typed was not
    assert "127.0.0.1 -" not in text  # nor who typed it


@pytest.fixture(autouse=True)
def _quiet_sqlalchemy():
    """Leave the SQL logger as found, whatever a test did to it."""
    yield
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
