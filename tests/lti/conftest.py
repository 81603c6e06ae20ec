"""Fixtures for LTI: a simulated platform over real HTTP, an app that registered it, launches."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from academy.cli import sync_courses
from academy.db import db
from academy.lti.cli import add
from academy.models import Base
from tests.lti.platform import SimulatedPlatform

# Launches are tested over HTTPS, as in production: pylti1p3 then sets its own cookies
# SameSite=None and ties launch data to a session-id cookie of its own.
HTTPS = "https://localhost"


@pytest.fixture
def platform():
    """A learning platform serving its keyset, token endpoint and gradebook on 127.0.0.1."""
    simulated = SimulatedPlatform().start()
    yield simulated
    simulated.stop()


@pytest.fixture
def lti_app(make_app, platform):
    """Academy with the good courses and the simulated platform registered; CSRF checks on."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        sync_courses()
        add(platform.details())
    return app


@pytest.fixture
def browser(lti_app):
    """A learner's browser."""
    return lti_app.test_client()


def begin_login(browser, platform, **params):
    """The platform's login initiation; returns the response and the state and nonce sent on."""
    query = {
        "iss": platform.issuer,
        "client_id": platform.client_id,
        "login_hint": "hint-1",
        "target_link_uri": f"{HTTPS}/lti/launch",
        "lti_message_hint": "message-hint-1",
        **params,
    }
    response = browser.get("/lti/login", query_string=query, base_url=HTTPS)
    sent = parse_qs(urlsplit(response.headers.get("Location", "")).query)
    return response, sent.get("state", [""])[0], sent.get("nonce", [""])[0]


def post_launch(browser, id_token: str, state: str):
    """The platform's page posting the launch, as a browser does it cross-site: only cookies
    marked SameSite=None come along, so Academy's own session cookie is left behind."""
    browser.delete_cookie("session")
    return browser.post("/lti/launch", data={"id_token": id_token, "state": state}, base_url=HTTPS)


@pytest.fixture
def launch(platform):
    """Log in and launch as the platform would, with `changes` to the claims (or `key`)."""

    def run(browser, key=None, **changes):
        _, state, nonce = begin_login(browser, platform)
        token = platform.id_token(platform.claims(nonce, **changes), key=key)
        return post_launch(browser, token, state)

    return run


def first_module(client) -> str:
    """The public id of the first module of the first course (the one with a quiz)."""
    home = client.get("/", base_url=HTTPS).get_data(as_text=True)
    course = re.search(r'href="/c/([^"]+)"', home).group(1)
    page = client.get(f"/c/{course}", base_url=HTTPS).get_data(as_text=True)
    return re.findall(r'href="/m/([^"/]+)"', page)[0]


def row_counts(app) -> dict[str, int]:
    """How many rows each table holds."""
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def every_stored_value(app) -> str:
    """Every value in every table, as one text to search."""
    with app.app_context():
        return "\n".join(
            repr(tuple(row))
            for table in Base.metadata.sorted_tables
            for row in db.session.execute(select(table))
        )
