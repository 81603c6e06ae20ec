"""Attacks on sessions: stolen or planted cookies, leaving in a hurry, cookie flags."""

import hashlib

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from academy.accounts import operations
from academy.db import db
from academy.models import UserSession
from tests.attack.conftest import count, csrf_token, snapshot
from tests.conftest import PASSWORD

HTTPS = "https://academy.example.org"


def _set_cookie(response, name: str) -> str:
    """The Set-Cookie header the response sends for cookie `name`."""
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}="))


@pytest.fixture
def remembering(make_app):
    """An app whose operator offers "keep me signed in" (off by default), with rose's account."""
    app = make_app(ACADEMY_REMEMBER_DAYS=30)
    with app.app_context():
        operations.create_account(db.session, "rose", PASSWORD)
        db.session.commit()
    return app


def _copy(app, client, name: str = "session"):
    """A second browser holding a copy of `client`'s cookie `name` (a thief, a shared phone)."""
    thief = app.test_client()
    thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def test_thief_with_a_copied_cookie_is_out_once_the_owner_signs_out(app, trainee):
    thief = _copy(app, trainee)
    assert thief.get("/account").status_code == 200  # the copy works while the session lives
    assert trainee.post("/sign-out").status_code == 303
    response = thief.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert count(app, UserSession) == 0


def test_attacker_planting_a_cookie_before_sign_in_gains_nothing(app, make_user):
    make_user("rose")
    app.config["WTF_CSRF_ENABLED"] = True  # so that a guest's visit already sets a cookie
    attacker = app.test_client()
    attacker.get("/sign-in")
    planted = attacker.get_cookie("session").value
    victim = app.test_client()
    victim.set_cookie("session", planted)  # session fixation: the victim's phone gets it
    data = {"username": "rose", "password": PASSWORD, "csrf_token": csrf_token(victim, "/sign-in")}
    assert victim.post("/sign-in", data=data).status_code == 303
    assert victim.get_cookie("session").value != planted
    response = attacker.get("/account")
    assert response.status_code == 302 and "rose" not in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_quick_exit_leaves_nothing_for_the_next_person_on_the_phone(app, trainee, method):
    thief = _copy(app, trainee)
    response = getattr(trainee, method)("/exit")
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "no-store" in response.headers["Cache-Control"]
    assert count(app, UserSession) == 0  # ended on the server, not only in this browser
    assert trainee.get("/account").status_code == 302
    assert thief.get("/account").status_code == 302


def test_scripts_and_other_sites_cannot_use_the_sign_in_cookies(remembering):
    client = remembering.test_client()
    data = {"username": "rose", "password": PASSWORD, "remember": "y"}
    response = client.post("/sign-in", data=data)
    assert response.status_code == 303
    for name in ["session", "remember_token"]:
        cookie = _set_cookie(response, name)
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


@pytest.mark.parametrize("name", ["session", "remember_token", "language"])
def test_cookies_never_travel_in_clear_once_the_site_is_on_https(remembering, name):
    client = remembering.test_client()
    data = {"username": "rose", "password": PASSWORD, "remember": "y"}
    signed_in = client.post("/sign-in", data=data, base_url=HTTPS)
    assert signed_in.status_code == 303
    response = client.get("/lang/fr", base_url=HTTPS) if name == "language" else signed_in
    assert response.status_code == 303
    cookie = _set_cookie(response, "lang" if name == "language" else name)
    assert "; Secure" in cookie, cookie


def test_thief_with_a_copied_remember_cookie_is_out_once_the_owner_signs_out(remembering):
    app = remembering
    client = app.test_client()
    data = {"username": "rose", "password": PASSWORD, "remember": "y"}
    assert client.post("/sign-in", data=data).status_code == 303
    thief = _copy(app, client, "remember_token")  # only the long-lived cookie
    assert thief.get("/account").status_code == 200
    assert client.post("/sign-out").status_code == 303
    late = app.test_client()
    late.set_cookie("remember_token", thief.get_cookie("remember_token").value)
    assert late.get("/account").status_code == 302
    assert count(app, UserSession) == 0
    # ...and the shared phone itself keeps no month-long cookie naming the ended sign-in.
    assert client.get_cookie("remember_token") is None


def test_someone_reading_the_database_finds_no_usable_session_token(app, trainee):
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    token = serializer.loads(trainee.get_cookie("session").value)["_user_id"]
    rows = snapshot(app)
    assert not any(token in value for table in rows.values() for row in table for value in row)
    with app.app_context():
        stored = db.session.scalar(select(UserSession.token_hash))
    assert stored == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize("key", ["wrong-key", "right-key"])
def test_attacker_forging_a_cookie_with_a_user_id_is_not_signed_in(app, trainee, key):
    # With the right key too: the cookie must name a live session, not an account, so even
    # a leaked SECRET_KEY does not let someone sign in as a trainee.
    forger = app.test_client()
    signer = app if key == "right-key" else Flask("forger")
    signer.secret_key = app.secret_key if key == "right-key" else "a guessed key"
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    forged = serializer.dumps({"_user_id": "1", "_fresh": True})
    forger.set_cookie("session", forged)
    before = snapshot(app)
    response = forger.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert snapshot(app) == before
