"""Sign-ins end on their own: idle timeout, absolute lifetime, password change, disabled account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from academy.accounts import operations
from academy.db import db
from academy.models import User, UserSession, utcnow
from tests.conftest import PASSWORD

NEW_PASSWORD = "a quite different phrase"


def _age_sessions(app, **columns) -> None:
    """Move every session's clock back, as if time had passed on the server."""
    with app.app_context():
        db.session.execute(update(UserSession).values(**columns))
        db.session.commit()


def _sessions(app) -> int:
    """How many signed-in sessions the server holds."""
    with app.app_context():
        return db.session.scalar(select(func.count(UserSession.id)))


def test_a_phone_left_alone_for_15_minutes_is_signed_out(app, trainee):
    _age_sessions(app, last_seen_at=utcnow() - timedelta(minutes=16))
    response = trainee.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    notice = trainee.get(response.headers["Location"])
    assert "You were signed out to keep your account safe" in notice.get_data(as_text=True)
    # Said once, and kept nowhere: it would tell the next reader an account was used here.
    assert notice.cache_control.no_store
    later = trainee.get("/sign-in")
    assert "You were signed out" not in later.get_data(as_text=True)
    assert not later.cache_control.no_store


def test_a_phone_in_use_stays_signed_in(app, trainee):
    _age_sessions(app, last_seen_at=utcnow() - timedelta(minutes=14))
    assert trainee.get("/account").status_code == 200
    with app.app_context():
        seen = db.session.scalar(select(UserSession.last_seen_at))
    # The request moved "last seen" to now, so the 15 minutes start again.
    assert seen.replace(tzinfo=None) > utcnow().replace(tzinfo=None) - timedelta(minutes=1)


def test_last_seen_is_written_at_most_once_a_minute(app, trainee):
    with app.app_context():
        before = db.session.scalar(select(UserSession.last_seen_at))
    trainee.get("/account")
    with app.app_context():
        assert db.session.scalar(select(UserSession.last_seen_at)) == before


def test_a_sign_in_ends_after_8_hours_however_active(app, trainee):
    _age_sessions(app, expires_at=utcnow() - timedelta(seconds=1))
    assert trainee.get("/account").status_code == 302
    with app.app_context():
        row = db.session.scalar(select(UserSession))
        assert row is not None  # ended by time; deleted at the next sign-in
    assert app.config["ACADEMY_SESSION_HOURS"] == 8


def test_the_idle_timeout_and_lifetime_are_the_operators_choice(make_app, sign_up):
    app = make_app(ACADEMY_IDLE_MINUTES=60)
    client = app.test_client()
    sign_up(client)
    _age_sessions(app, last_seen_at=utcnow() - timedelta(minutes=30))
    assert client.get("/account").status_code == 200


def test_a_remembered_sign_in_has_no_idle_timeout(make_app, sign_up):
    app = make_app(ACADEMY_REMEMBER_DAYS=30)
    sign_up(app.test_client())
    client = app.test_client()
    data = {"username": "rose", "password": PASSWORD, "remember": "y"}
    assert client.post("/sign-in", data=data).status_code == 303
    _age_sessions(app, last_seen_at=utcnow() - timedelta(days=2))
    assert client.get("/account").status_code == 200


def test_changing_the_password_signs_out_every_other_phone(app, client, sign_up):
    sign_up(client)
    other_phone = app.test_client()
    other_phone.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    assert other_phone.get("/account").status_code == 200
    data = {"change-password": PASSWORD, "change-new_password": NEW_PASSWORD}
    response = client.post("/account/password", data=data)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your password is changed" in page
    assert client.get("/account").status_code == 200  # this phone stays signed in
    assert other_phone.get("/account").status_code == 302
    assert _sessions(app) == 1
    fresh = app.test_client()
    old = fresh.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    assert old.status_code == 400
    new = fresh.post("/sign-in", data={"username": "rose", "password": NEW_PASSWORD})
    assert new.status_code == 303


def test_a_wrong_current_password_changes_nothing(app, client, sign_up):
    sign_up(client)
    other_phone = app.test_client()
    other_phone.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    with app.app_context():
        before = db.session.scalar(select(User.password_hash))
    data = {"change-password": "not my password", "change-new_password": NEW_PASSWORD}
    response = client.post("/account/password", data=data)
    assert response.status_code == 400
    assert "That is not your password." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.password_hash)) == before
    assert other_phone.get("/account").status_code == 200


def test_a_new_password_follows_the_sign_up_rules(app, client, sign_up):
    sign_up(client)
    cases = {
        "short": "A password needs at least 8 characters.",
        PASSWORD: "Choose a password different from the one you have now.",
        "rose": "A password needs at least",
        "password1": "Many people use this password",
    }
    for new, message in cases.items():
        data = {"change-password": PASSWORD, "change-new_password": new}
        response = client.post("/account/password", data=data)
        assert response.status_code == 400, new
        assert message in response.get_data(as_text=True), new


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(app, client, sign_up):
    sign_up(client)
    assert client.get("/account").status_code == 200
    with app.app_context():
        operations.set_disabled(db.session, "rose", True)
        db.session.commit()
    assert client.get("/account").status_code == 302
    assert _sessions(app) == 0
    response = client.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    assert response.status_code == 400
    # The same words as a wrong password: nothing says the account exists.
    assert "That username and password do not match" in response.get_data(as_text=True)
    with app.app_context():
        operations.set_disabled(db.session, "rose", False)
        db.session.commit()
    response = client.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    assert response.status_code == 303


def test_an_operator_disables_and_enables_an_account_from_the_command_line(app, client, sign_up):
    sign_up(client)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["user", "disable", "ROSE"])
    assert result.exit_code == 0, result.output
    assert "can no longer sign in" in result.output
    assert client.get("/account").status_code == 302
    result = runner.invoke(args=["user", "enable", "rose"])
    assert result.exit_code == 0 and "can sign in again" in result.output
    response = client.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    assert response.status_code == 303
    missing = runner.invoke(args=["user", "disable", "nobody"])
    assert missing.exit_code == 1 and "no account is called 'nobody'" in missing.output


@pytest.mark.parametrize(("method", "url"), [("post", "/sign-out"), ("get", "/exit")])
def test_signing_out_deletes_the_lasting_cookie_too(make_app, sign_up, method, url):
    app = make_app(ACADEMY_REMEMBER_DAYS=30)
    sign_up(app.test_client())
    client = app.test_client()
    data = {"username": "rose", "password": PASSWORD, "remember": "y"}
    signed_in = client.post("/sign-in", data=data)
    lasting = next(c for c in signed_in.headers.getlist("Set-Cookie") if "remember_token=" in c)
    assert "Secure" in lasting  # never sent over plain HTTP
    response = getattr(client, method)(url)
    deleted = [c for c in response.headers.getlist("Set-Cookie") if "remember_token=" in c]
    assert deleted and "Expires=Thu, 01 Jan 1970" in deleted[0]


def _signed_in_without_password(app, name: str = "lti-learner"):
    """A client signed in to an account no password opens (as a learning platform makes)."""
    from academy.accounts.passwords import UNUSABLE_PASSWORD

    with app.app_context():
        user = User(username=name, username_key=name, password_hash=UNUSABLE_PASSWORD)
        db.session.add(user)
        db.session.flush()
        token = operations.start_session(db.session, user, timedelta(hours=1), remembered=False)
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def test_an_account_without_a_password_can_still_take_its_data_and_delete_it(app):
    client = _signed_in_without_password(app)
    page = client.get("/account").get_data(as_text=True)
    assert "Change your password" not in page and 'type="password"' not in page
    assert client.post("/account/password", data={}).status_code == 404
    unticked = client.post("/account/delete", data={})
    assert unticked.status_code == 400
    assert "Tick the box to confirm." in unticked.get_data(as_text=True)
    exported = client.post("/account/export", data={"export-confirm": "y"})
    assert exported.status_code == 200 and "lti-learner" in exported.get_data(as_text=True)
    deleted = client.post("/account/delete", data={"delete-confirm": "y"})
    assert deleted.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
    # No password opens such an account from the sign-in form.
    tried = app.test_client().post("/sign-in", data={"username": "lti-learner", "password": "!"})
    assert tried.status_code == 400
