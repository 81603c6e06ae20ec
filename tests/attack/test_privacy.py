"""What a seized server, a shared phone's history or a downloaded file could reveal."""

import json
import logging
import re

import pytest
from sqlalchemy import inspect

from academy.cli import sync_courses
from academy.db import db
from academy.limits import limiter
from academy.models import Base
from tests.attack.conftest import snapshot
from tests.conftest import PASSWORD
from tests.learn.test_attempts import RIGHT, _ticket

# Parts of a column name that would mean the database holds something that names a person.
IDENTIFYING = {
    "email", "mail", "phone", "mobile", "tel", "real", "firstname", "lastname", "surname",
    "fullname", "birth", "birthday", "dob", "age", "address", "addr", "ip", "location", "gps",
    "lat", "lon", "latitude", "longitude", "agent", "device", "fingerprint",
}  # fmt: skip
# Words that name the demo course's topic, or people: none may appear in an address or title.
TOPIC = ["demo", "first", "second", "steps", "apple", "fruit", "tuesday", "rose", "lily", "fatima"]


def _identifying(name: str) -> bool:
    """True when a column name, split at underscores, has a part that names a person."""
    parts = name.lower().split("_")
    return bool(set(parts) & IDENTIFYING) or "realname" in name.lower()


def test_schema_has_no_column_for_anything_that_names_a_person(app):
    declared = [(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns]
    with app.app_context():
        inspector = inspect(db.engine)
        migrated = [
            (table, column["name"])
            for table in inspector.get_table_names()
            for column in inspector.get_columns(table)
        ]
    assert {name for name, _ in declared} <= {name for name, _ in migrated}
    assert [pair for pair in declared + migrated if _identifying(pair[1])] == []


@pytest.mark.parametrize("route", ["direct", "behind-proxy"])
def test_visitor_address_and_browser_are_stored_nowhere(make_app, caplog, route):
    address, agent = "203.0.113.7", "SharedPhone/4.2 (unique-device-7731)"
    app = make_app(ACADEMY_PROXY_HOPS=1) if route == "behind-proxy" else make_app()
    with app.app_context():
        sync_courses()
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": address, "HTTP_USER_AGENT": agent})
    if route == "behind-proxy":
        client.environ_base.update({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": address})
    caplog.set_level(logging.DEBUG)
    # A whole visit: join, read, take a quiz, sign out, a wrong password, sign in again.
    assert client.post("/join", data={"username": "rose", "password": PASSWORD}).status_code == 303
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    module = re.findall(r'href="(/m/[^"]+)"', client.get(course).get_data(as_text=True))[0]
    client.get(module)
    quiz = module + "/q"
    assert client.post(quiz, data={"ticket": _ticket(client, quiz), **RIGHT}).status_code == 303
    client.post("/sign-out")
    client.post("/sign-in", data={"username": "rose", "password": "wrong guess"})
    assert (
        client.post("/sign-in", data={"username": "rose", "password": PASSWORD}).status_code == 303
    )
    stored = json.dumps(snapshot(app))
    for trace in [address, "10.0.0.2", "127.0.0.1", "unique-device-7731", "SharedPhone"]:
        assert trace not in stored, trace
        assert trace not in caplog.text, trace
    # The rate limiter's counters are keyed by a keyed hash, never by the address itself.
    counters = repr(vars(limiter.storage))
    assert "LIMITER/academy/" in counters  # the counters are there to look at
    assert "rose" not in counters and address not in counters and "10.0.0.2" not in counters


def test_export_holds_the_trainees_data_and_nothing_of_anyone_else(site):
    quiz = f"/m/{site.first}/q"
    site.lily.post(quiz, data={"ticket": _ticket(site.lily, quiz), "q1": "0"})
    site.lily.post(f"/m/{site.first}/share/1", data={"body": "Lily's private plum"})
    site.ana.post(f"/m/{site.first}/share/1", data={"body": "Ana's other group"})
    before = snapshot(site.app)
    response = site.rose.post("/account/export", data={"export-password": PASSWORD})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data())
    assert data["account"]["username"] == "rose"
    assert [answer["text"] for answer in data["shared_answers"]] == ["Figs from the market"]
    assert len(data["quiz_attempts"]) == 1 and data["quiz_attempts"][0]["percent"] == 100
    assert [group["name"] for group in data["groups"]] == ["Tuesday group"]
    body = response.get_data(as_text=True)
    for other in ["lily", "ana", "omar", "Lily's", "Ana's", "Thursday group", "argon2", PASSWORD]:
        assert other not in body, other
    assert snapshot(site.app) == before


def _journey(site) -> list[tuple[str, str, str]]:
    """A trainee's whole visit: (address, response body, content type) of every request."""
    client, seen = site.rose, []

    def visit(method: str, url: str, **options) -> str:
        response = getattr(client, method)(url, **options)
        html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        seen.append((url, html, response.mimetype))
        if response.headers.get("Location"):
            seen.append((response.headers["Location"], "", ""))
        return html

    catalogue = visit("get", "/")
    course = re.search(r'href="(/c/[^"]+)"', catalogue).group(1)
    modules = re.findall(r'href="(/m/[^"/]+)"', visit("get", course))
    for module in modules:
        visit("get", module)
    quiz = modules[0] + "/q"
    result = client.post(quiz, data={"ticket": _ticket(client, quiz), **RIGHT})
    seen.append((result.headers["Location"], "", ""))
    visit("get", result.headers["Location"])
    for url in ["/progress", "/account", modules[0] + "/handout.pdf", "/lang/fr?next=" + course]:
        visit("get", url)
    visit("post", f"/m/{site.first}/share/1", data={"body": "More figs"})
    return seen


def test_every_address_in_a_trainees_journey_is_opaque(site):
    urls = []
    for url, body, mimetype in _journey(site):
        urls.append(url)
        if mimetype == "text/html":  # ...and every link and form on the pages seen
            urls += re.findall(r'(?:href|src|action)="([^"]+)"', body)
    local = [url for url in urls if not url.startswith(("https://", "mailto:", "tel:", "data:"))]
    assert len(local) > 40
    for url in local:
        assert not any(word in url.lower() for word in TOPIC), url


def test_page_titles_in_a_trainees_journey_name_no_course_module_or_person(site):
    titles = [
        re.search(r"<title>(.*?)</title>", body, re.S).group(1)
        for _url, body, mimetype in _journey(site)
        if mimetype == "text/html"
    ]
    assert len(titles) >= 6
    for title in titles:
        assert not any(word in title.lower() for word in TOPIC), title
