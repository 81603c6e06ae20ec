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
