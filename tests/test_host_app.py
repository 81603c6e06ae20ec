"""Academy mounted in someone else's site: under /learn, with the host's users and pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from academy.cli import sync_courses
from academy.db import db
from academy.host import forget_host_user, host_key
from academy.migrate import upgrade
from academy.models import Base, QuizAttempt, User
from examples.host_app.app import create_host_app
from tests.learn.test_attempts import RIGHT


@pytest.fixture
def host(database_url, fixture_repo):
    """The example host site on a fresh database, with the fixture courses published."""
    app = create_host_app(
        {
            "ACADEMY_DATABASE_URL": database_url,
            "ACADEMY_COURSES_DIR": str(fixture_repo()),
            "TESTING": True,
        }
    )
    with app.app_context():
        upgrade(db.engine)
        sync_courses()
    yield app
    with app.app_context():
        db.engine.dispose()


def _log_in(app, name: str):
    """A browser logged in to the host site (not to Academy)."""
    client = app.test_client()
    response = client.post("/login", data={"name": name, "password": f"{name}-password"})
    assert response.status_code == 302
    return client


def test_the_host_keeps_its_home_page_404_page_and_session_cookie(host):
    client = host.test_client()
    assert "Welcome to the centre" in client.get("/").get_data(as_text=True)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "The centre has no such page" in missing.get_data(as_text=True)
    response = client.post("/login", data={"name": "amina", "password": "amina-password"})
    assert any(c.startswith("centre_session=") for c in response.headers.getlist("Set-Cookie"))


def test_academy_is_served_under_learn_with_its_links_there_too(host):
    client = host.test_client()
    page = client.get("/learn/").get_data(as_text=True)
    assert "Demo course" in page
    assert re.search(r'href="/learn/c/\w+"', page)
    assert re.search(r'href="/learn/academy-\w+\.css"', page)
    css = re.search(r'href="(/learn/academy-\w+\.css)"', page).group(1)
    assert client.get(css).status_code == 200
    assert client.get("/c/anything").status_code == 404  # nothing of Academy's outside /learn


def test_offline_reading_keeps_to_academys_part_of_the_site(host):
    client = host.test_client()
    page = client.get("/learn/offline").get_data(as_text=True)
    assert 'data-scope="/learn/"' in page  # the worker's scope: it never sees the host's pages
    paths = re.search(r'data-urls="([^"]+)"', page).group(1).split()
    assert all(path.startswith("/learn/") for path in paths)
    assert all(client.get(path).status_code == 200 for path in paths)
    assert client.get("/learn/sw.js").mimetype == "text/javascript"


def test_the_hosts_sign_in_is_the_only_sign_in(host):
    client = host.test_client()
    progress = client.get("/learn/progress")
    assert progress.status_code == 302 and progress.headers["Location"].startswith("/login")
    assert client.get("/learn/sign-in").headers["Location"].startswith("/login")
    assert client.get("/learn/join").headers["Location"].startswith("/login")
    amina = _log_in(host, "amina")
    assert amina.get("/learn/account").status_code == 404  # the host's account pages are its own
    assert amina.get("/learn/progress").status_code == 200
    assert 'href="/learn/account"' not in amina.get("/learn/").get_data(as_text=True)


def test_a_host_user_passes_a_quiz_and_academy_keeps_no_detail_of_theirs(host):
    amina = _log_in(host, "amina")
    course = re.search(r'href="(/learn/c/\w+)"', amina.get("/learn/").get_data(True)).group(1)
    module = re.findall(r'href="(/learn/m/\w+)"', amina.get(course).get_data(True))[0]
    quiz = amina.get(module + "/q").get_data(as_text=True)
    ticket = re.search(r'name="ticket" value="([^"]+)"', quiz).group(1)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', quiz).group(1)
    sent = amina.post(module + "/q", data={"ticket": ticket, "csrf_token": csrf, **RIGHT})
    assert sent.status_code == 303 and sent.headers["Location"].startswith("/learn/r/")
    assert "Your result: 100%" in amina.get(sent.headers["Location"]).get_data(as_text=True)
    with host.app_context():
        [user] = db.session.scalars(select(User)).all()
        assert user.username_key == host_key("amina") and user.role == "trainee"
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1
        # Not the host's id, nor the name, in any column of any table.
        for table in Base.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                assert "amina" not in " ".join(str(value) for value in row), table.name
    # When the host deletes its member, Academy forgets them too.
    with host.app_context():
        assert forget_host_user("amina") is True
        assert db.session.scalar(select(func.count(User.id))) == 0
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 0


def test_the_role_comes_from_the_host(host):
    joy, amina = _log_in(host, "joy"), _log_in(host, "amina")
    assert joy.get("/learn/f/").status_code == 200
    assert amina.get("/learn/f/").status_code == 403


def test_the_hosts_own_forms_are_not_checked_by_academy_but_academys_are(host):
    host.config["WTF_CSRF_ENABLED"] = True
    client = host.test_client()
    # The host's login form has no Academy token, and works.
    response = client.post("/login", data={"name": "amina", "password": "amina-password"})
    assert response.status_code == 302
    # Academy's own form without its token is refused.
    assert client.post("/learn/group/join", data={"code": "ABCD-EFGH"}).status_code == 400


def test_academys_commands_live_under_one_group_in_the_host(host):
    result = host.test_cli_runner().invoke(args=["academy", "sync"])
    assert result.exit_code == 0, result.output
    assert "Nothing to do: the database already matches the courses." in result.output
    assert host.test_cli_runner().invoke(args=["sync"]).exit_code != 0  # not loose in the host


def test_a_host_with_its_own_logins_must_say_who_is_signed_in():
    from flask import Flask
    from flask_login import LoginManager

    from academy import Academy

    app = Flask(__name__)
    LoginManager(app)
    with pytest.raises(RuntimeError, match="pass user_loader="):
        Academy(app, url_prefix="/learn")


def test_a_host_overrides_a_template_by_putting_one_at_the_same_path(database_url, tmp_path):
    from flask import Flask

    from academy import Academy

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "safety.html").write_text(
        '{% extends "site/base.html" %}{% block main %}<h1>Our own safety page</h1>{% endblock %}'
    )
    app = Flask(__name__, template_folder=str(tmp_path))
    app.config.update(SECRET_KEY="s" * 40, ACADEMY_DATABASE_URL=database_url)
    Academy(app, url_prefix="/learn")  # no logins of its own: Academy keeps its accounts
    page = app.test_client().get("/learn/safety").get_data(as_text=True)
    assert "Our own safety page" in page
    assert 'class="exit"' in page  # the rest of Academy's page around it is kept
