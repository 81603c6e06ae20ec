import pytest

from academy import create_app


def test_environment_fills_settings_but_explicit_values_win(monkeypatch, tmp_path):
    monkeypatch.setenv("ACADEMY_SITE_NAME", "Reading group")
    monkeypatch.setenv("ACADEMY_LANGUAGES", '["en", "ru"]')
    monkeypatch.setenv("ACADEMY_DATABASE_URL", "sqlite:////nowhere/should-not-be-used.db")
    app = create_app({"SECRET_KEY": "x", "ACADEMY_DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    assert app.config["ACADEMY_SITE_NAME"] == "Reading group"
    assert app.config["ACADEMY_LANGUAGES"] == ["en", "ru"]
    assert app.config["ACADEMY_DATABASE_URL"] == f"sqlite:///{tmp_path}/a.db"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("ACADEMY_DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["ACADEMY_DATABASE_URL"] == f"sqlite:///{app.instance_path}/academy.sqlite3"


def test_standalone_app_keeps_one_private_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("ACADEMY_SECRET_KEY", raising=False)
    from flask import Flask

    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path / "inst"))
    first = create_app({"ACADEMY_DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    second = create_app({"ACADEMY_DATABASE_URL": f"sqlite:///{tmp_path}/a.db"})
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o077 == 0


def test_the_session_cookie_is_secure_over_https_only(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    plain = client.get("/join").headers.get("Set-Cookie", "")
    assert "session=" in plain and "Secure" not in plain
    secure = app.test_client().get("/join", base_url="https://academy.example.org")
    assert "Secure" in secure.headers["Set-Cookie"] and "HttpOnly" in secure.headers["Set-Cookie"]


def test_behind_a_proxy_each_trainee_has_their_own_rate_limit(make_app, sign_up):
    app = make_app(ACADEMY_PROXY_HOPS=1, ACADEMY_SIGN_IN_LIMIT="2 per minute")
    for address in ["203.0.113.1", "203.0.113.2"]:
        client = app.test_client()
        for _ in range(2):
            response = client.post(
                "/sign-in",
                data={"username": f"x{address[-1]}", "password": "guess guess"},
                headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "https"},
            )
            assert response.status_code == 400  # each address has its own two tries
    third = app.test_client().post(
        "/sign-in",
        data={"username": "x1", "password": "guess guess"},
        headers={"X-Forwarded-For": "203.0.113.1"},
    )
    assert third.status_code == 429


def test_https_responses_tell_browsers_to_stay_on_https(client):
    secure = client.get("/", base_url="https://academy.example.org")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert (
        "Strict-Transport-Security"
        in client.get("/nothere", base_url="https://a.example.org").headers
    )


@pytest.mark.parametrize("hosts", [["learn.example.org"], "learn.example.org, www.example.org"])
def test_only_trusted_hosts_are_answered_when_set(make_app, hosts):
    app = make_app(ACADEMY_TRUSTED_HOSTS=hosts)
    client = app.test_client()
    assert client.get("/", base_url="https://learn.example.org").status_code == 200
    assert client.get("/", base_url="https://evil.example.com").status_code == 400


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"SECRET_KEY": "changeme"}, "ACADEMY_SECRET_KEY is missing, shorter than 32"),
        ({"SECRET_KEY": "x" * 31}, "shorter than 32 characters"),
        ({"SECRET_KEY": "k" * 64, "DEBUG": True}, "debug mode is on"),
        ({"SECRET_KEY": "k" * 64, "ACADEMY_PREVIEW": True}, "ACADEMY_PREVIEW is on"),
    ],
)
def test_production_refuses_debug_and_weak_keys(tmp_path, config, message):
    from academy.config import UnsafeProduction, check_production

    app = create_app({"ACADEMY_DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite3", **config})
    with pytest.raises(UnsafeProduction, match=message):
        check_production(app)


def test_production_accepts_the_key_academy_makes_itself(tmp_path):
    from academy.config import check_production

    app = create_app({"ACADEMY_DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite3"})
    check_production(app)  # the generated instance/secret_key is 64 hex characters


def test_the_health_check_is_trivial_and_says_nothing(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data() == b"ok\n"
