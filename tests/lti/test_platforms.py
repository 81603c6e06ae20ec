"""Registering platforms (admin page and CLI), Academy's keyset, and who may frame Academy."""

from __future__ import annotations

import re

import jwt
from sqlalchemy import select

from academy.accounts import operations
from academy.db import db
from academy.models import LtiPlatform
from tests.conftest import PASSWORD
from tests.lti.conftest import HTTPS

FIELDS = {
    "issuer": "https://canvas.example.org",
    "client_id": "10000000000042",
    "deployment_id": "12:abcdef",
    "auth_login_url": "https://canvas.example.org/api/lti/authorize_redirect",
    "auth_token_url": "https://canvas.example.org/login/oauth2/token",
    "keyset_url": "https://canvas.example.org/api/lti/security/jwks",
}


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _signed_in_admin(app):
    """An admin's browser, signed in through the form (CSRF checks are on)."""
    with app.app_context():
        operations.create_account(db.session, "ada", PASSWORD, "admin")
        db.session.commit()
    admin = app.test_client()
    form = {
        "username": "ada",
        "password": PASSWORD,
        "csrf_token": _token(admin.get("/sign-in").get_data(True)),
    }
    assert admin.post("/sign-in", data=form).status_code == 303
    return admin


def test_an_admin_registers_a_platform_with_the_form(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    admin = _signed_in_admin(app)
    page = admin.get("/lti/platforms").get_data(as_text=True)
    assert "http://localhost/lti/login" in page and "http://localhost/lti/jwks" in page
    assert admin.post("/lti/platforms", data=FIELDS).status_code == 400  # no CSRF token
    token = _token(page)
    wrong = admin.post("/lti/platforms", data={**FIELDS, "keyset_url": "jwks", "csrf_token": token})
    assert wrong.status_code == 400
    assert "Enter a full address starting with https://" in wrong.get_data(as_text=True)
    added = admin.post("/lti/platforms", data={**FIELDS, "csrf_token": token})
    assert added.status_code == 303
    listed = admin.get("/lti/platforms").get_data(as_text=True)
    assert "https://canvas.example.org" in listed and "12:abcdef" in listed
    again = admin.post("/lti/platforms", data={**FIELDS, "csrf_token": token})
    assert again.status_code == 400
    assert "already has this deployment" in again.get_data(as_text=True)
    with app.app_context():
        [platform] = db.session.scalars(select(LtiPlatform)).all()
        assert "PRIVATE KEY" in platform.private_key


def test_the_cli_registers_platforms_each_with_its_own_key(make_app):
    app = make_app(ACADEMY_PUBLIC_URL="https://learn.example.org")
    runner = app.test_cli_runner()
    options = [f"--{name.replace('_', '-')}={value}" for name, value in FIELDS.items()]
    result = runner.invoke(args=["lti", "add-platform", *options])
    assert result.exit_code == 0, result.output
    assert "Registered https://canvas.example.org" in result.output
    assert "https://learn.example.org/lti/jwks" in result.output
    assert runner.invoke(args=["lti", "add-platform", *options]).exit_code == 1
    second_deployment = [*options[:2], "--deployment-id=13:other", *options[3:]]
    assert runner.invoke(args=["lti", "add-platform", *second_deployment]).exit_code == 0
    moodle = [
        "--issuer=https://moodle.example.org",
        "--client-id=abc",
        "--deployment-id=1",
        "--auth-login-url=https://moodle.example.org/mod/lti/auth.php",
        "--auth-token-url=https://moodle.example.org/mod/lti/token.php",
        "--keyset-url=not a url",
    ]
    refused = runner.invoke(args=["lti", "add-platform", *moodle])
    assert refused.exit_code == 2 and "https://" in refused.output
    fixed = [*moodle[:5], "--keyset-url=https://moodle.example.org/mod/lti/certs.php"]
    assert runner.invoke(args=["lti", "add-platform", *fixed]).exit_code == 0

    with app.app_context():
        platforms = db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.id)).all()
        assert [len(p.deployments) for p in platforms] == [2, 1]
        assert platforms[0].private_key != platforms[1].private_key
    keyset = app.test_client().get("/lti/jwks").get_json()
    assert len(keyset["keys"]) == 2
    for key, platform in zip(keyset["keys"], platforms, strict=True):
        assert set(key) >= {"kty", "n", "e", "kid", "alg", "use"} and "d" not in key
        assert key["alg"] == "RS256" and key["use"] == "sig"
        signed = jwt.encode({"x": 1}, platform.private_key, algorithm="RS256")
        assert jwt.decode(signed, jwt.PyJWK(key).key, algorithms=["RS256"]) == {"x": 1}


def test_no_site_may_frame_academy_unless_the_operator_names_it(make_app):
    default = make_app().test_client().get("/")
    assert "frame-ancestors 'none'" in default.headers["Content-Security-Policy"]
    lms = "https://moodle.example.org"
    named = make_app(ACADEMY_FRAME_ANCESTORS=[lms, "https://x.example; script-src *"])
    policy = named.test_client().get("/", base_url=HTTPS).headers["Content-Security-Policy"]
    assert f"frame-ancestors {lms}" in policy and "script-src *" not in policy
    from_environment = make_app(ACADEMY_FRAME_ANCESTORS=f"{lms}, https://canvas.example.org")
    policy = from_environment.test_client().get("/").headers["Content-Security-Policy"]
    assert f"frame-ancestors {lms} https://canvas.example.org" in policy
