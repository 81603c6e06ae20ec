"""Login initiation and launches from a simulated platform: linked, pseudonymous accounts."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from academy.db import db
from academy.migrate import upgrade
from academy.models import LtiAccount, User
from tests.lti.conftest import (
    HTTPS,
    begin_login,
    every_stored_value,
    first_module,
    post_launch,
    row_counts,
)
from tests.lti.platform import CANARIES, INSTRUCTOR, LTI, SimulatedPlatform, new_key


def _linked_users(app):
    with app.app_context():
        return db.session.execute(select(User, LtiAccount).join(LtiAccount)).all()


def test_login_initiation_sends_the_browser_to_the_platform_with_state_and_nonce(browser, platform):
    for method in ("GET", "POST"):  # platforms use either; a POST carries no CSRF token
        query = {"iss": platform.issuer, "client_id": platform.client_id, "login_hint": "h1"}
        if method == "GET":
            response = browser.get("/lti/login", query_string=query, base_url=HTTPS)
        else:
            response = browser.post("/lti/login", data=query, base_url=HTTPS)
        assert response.status_code == 302, method
        location = urlsplit(response.headers["Location"])
        assert f"http://{location.netloc}{location.path}" == platform.url("/auth")
        sent = {key: values[0] for key, values in parse_qs(location.query).items()}
        assert sent["client_id"] == platform.client_id and sent["login_hint"] == "h1"
        assert sent["redirect_uri"] == f"{HTTPS}/lti/launch"
        assert sent["response_type"] == "id_token" and sent["scope"] == "openid"
        assert sent["state"] and len(sent["nonce"]) >= 32
        # The state cookie must survive the platform's cross-site POST back to Academy.
        cookies = response.headers.getlist("Set-Cookie")
        state_cookie = next(c for c in cookies if c.startswith(f"lti1p3-{sent['state']}="))
        assert "SameSite=None" in state_cookie and "Secure" in state_cookie
        assert not any(cookie.startswith("session=") for cookie in cookies)


def test_a_first_launch_makes_a_linked_pseudonymous_account_and_lands_on_the_module(
    lti_app, browser, launch
):
    module = first_module(browser)
    response = launch(browser, **{LTI + "custom": {"module": module}})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/m/{module}"
    page = browser.get(f"/m/{module}", base_url=HTTPS).get_data(as_text=True)
    assert "My progress" in page  # signed in
    [(user, link)] = _linked_users(lti_app)
    assert user.username.startswith("lti-") and user.role == "trainee"
    assert link.sub == "opaque-user-7f3a"
    # Nothing the platform said about the person is stored anywhere, in any table.
    stored = every_stored_value(lti_app)
    for canary in CANARIES:
        assert canary not in stored
    # And no password signs in to the account.
    for guess in ("", "!", user.username):
        sign_in = lti_app.test_client().post(
            "/sign-in", data={"username": user.username, "password": guess}
        )
        assert sign_in.status_code == 400


def test_a_second_launch_of_the_same_person_reuses_their_account(lti_app, launch, platform):
    first, second = lti_app.test_client(), lti_app.test_client()
    assert launch(first).status_code == 303
    assert launch(second, **{LTI + "roles": [INSTRUCTOR]}).status_code == 303
    assert len(_linked_users(lti_app)) == 1
    [(user, _)] = _linked_users(lti_app)
    assert user.role == "trainee"  # a teacher's role on the platform grants nothing here
    assert launch(lti_app.test_client(), sub="someone-else").status_code == 303
    assert len(_linked_users(lti_app)) == 2


def test_only_an_admin_makes_a_launched_teacher_a_facilitator(lti_app, launch):
    assert launch(lti_app.test_client(), **{LTI + "roles": [INSTRUCTOR]}).status_code == 303
    [(user, _)] = _linked_users(lti_app)
    assert user.role == "trainee"
    promoted = lti_app.test_cli_runner().invoke(args=["user", "role", user.username, "facilitator"])
    assert promoted.exit_code == 0, promoted.output
    assert launch(lti_app.test_client()).status_code == 303  # now as a learner: role kept
    [(user, _)] = _linked_users(lti_app)
    assert user.role == "facilitator"


def test_a_launch_without_a_target_lands_on_the_catalogue(browser, launch):
    response = launch(browser)
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_a_disabled_linked_account_is_refused(lti_app, launch):
    assert launch(lti_app.test_client()).status_code == 303
    with lti_app.app_context():
        db.session.scalars(select(User)).one().disabled = True
        db.session.commit()
    assert launch(lti_app.test_client()).status_code == 403


def _forged(browser, platform):
    _, state, nonce = begin_login(browser, platform)
    return state, platform.id_token(platform.claims(nonce), key=new_key())


def _expired(browser, platform):
    _, state, nonce = begin_login(browser, platform)
    past = int(time.time()) - 600
    return state, platform.id_token(platform.claims(nonce, iat=past, exp=past + 300))


def _wrong_audience(browser, platform):
    _, state, nonce = begin_login(browser, platform)
    return state, platform.id_token(platform.claims(nonce, aud="another-tool"))


def _unknown_deployment(browser, platform):
    _, state, nonce = begin_login(browser, platform)
    claims = platform.claims(nonce, **{LTI + "deployment_id": "not-registered"})
    return state, platform.id_token(claims)


def _unknown_platform(browser, platform):
    # A stranger with its own keys, but a login begun as the registered platform.
    _, state, nonce = begin_login(browser, platform)
    stranger = SimulatedPlatform(issuer="https://stranger.example.org")
    return state, stranger.id_token(stranger.claims(nonce))


def _no_state_cookie(browser, platform):
    _, state, nonce = begin_login(browser, platform)
    browser.delete_cookie(f"lti1p3-{state}")
    return state, platform.id_token(platform.claims(nonce))


def _unknown_nonce(browser, platform):
    _, state, _ = begin_login(browser, platform)
    return state, platform.id_token(platform.claims("never-issued-by-academy"))


REFUSALS = {
    "bad signature": _forged,
    "expired token": _expired,
    "wrong audience": _wrong_audience,
    "unknown deployment": _unknown_deployment,
    "unknown platform": _unknown_platform,
    "no state cookie": _no_state_cookie,
    "nonce never issued": _unknown_nonce,
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_bad_launch_is_refused_with_400_and_writes_nothing(lti_app, browser, platform, case):
    state, token = REFUSALS[case](browser, platform)
    before = row_counts(lti_app)
    response = post_launch(browser, token, state)
    assert response.status_code == 400, case
    assert "could not check the link" in response.get_data(as_text=True)
    assert row_counts(lti_app) == before
    assert browser.get("/progress", base_url=HTTPS).status_code == 302  # nobody signed in


def test_a_replayed_launch_is_refused(lti_app, platform):
    first = lti_app.test_client()
    _, state, nonce = begin_login(first, platform)
    token = platform.id_token(platform.claims(nonce))
    assert post_launch(first, token, state).status_code == 303
    before = row_counts(lti_app)
    # The same token and state again (a captured form), and a new token reusing the nonce.
    assert post_launch(first, token, state).status_code == 400
    again = platform.id_token(platform.claims(nonce, jti="another"))
    assert post_launch(first, again, state).status_code == 400
    assert row_counts(lti_app) == before


def test_a_login_from_an_unknown_platform_is_refused(lti_app, browser, platform):
    before = row_counts(lti_app)
    for params in ({"iss": "https://stranger.example.org"}, {"client_id": "not-ours"}):
        response, _, _ = begin_login(browser, platform, **params)
        assert response.status_code == 400
        assert "Location" not in response.headers
    assert row_counts(lti_app) == before


def test_a_token_that_is_not_json_is_refused_not_an_error(lti_app, browser, platform):
    _, state, _ = begin_login(browser, platform)
    for token in ("not-a-jwt", "a.b.c", "W10.W10.W10"):  # the last is [] . [] . []
        assert post_launch(browser, token, state).status_code == 400


def test_login_initiations_from_one_address_are_limited(make_app, platform):
    from academy.lti.cli import add

    app = make_app(ACADEMY_LTI_LOGIN_LIMIT="2 per minute")
    with app.app_context():
        add(platform.details())
    browser = app.test_client()
    assert [begin_login(browser, platform)[0].status_code for _ in range(3)] == [302, 302, 429]


def test_a_host_site_with_its_own_users_has_no_lti(database_url):
    from examples.host_app.app import create_host_app

    host = create_host_app({"ACADEMY_DATABASE_URL": database_url, "TESTING": True})
    with host.app_context():
        upgrade(db.engine)
    client = host.test_client()
    assert client.get("/learn/lti/jwks").status_code == 404
    assert client.post("/learn/lti/launch").status_code == 404
    with host.app_context():
        db.engine.dispose()
