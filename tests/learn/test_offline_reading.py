"""The offline reading page and its service worker, as the server sends them."""

import base64
import hashlib
import re
from urllib.parse import urljoin

import pytest
from sqlalchemy import func, select

from academy.cli import sync_courses
from academy.db import db
from academy.models import QuizAttempt
from tests.learn.test_attempts import RIGHT


def test_the_page_says_what_stays_on_the_phone_and_is_off_until_turned_on(client):
    page = client.get("/offline").get_data(as_text=True)
    assert "What stays on this phone" in page
    assert "Anyone who opens this browser on this phone can read them." in page
    assert "Never your username, your results or your group's answers." in page
    # Without JavaScript nothing can be kept, and the page says what works instead.
    assert "<noscript>" in page and "save a lesson or a whole course as one file" in page
    # The controls start hidden: the script shows the right ones.
    assert re.search(r'<div id="offline" hidden', page)


def test_each_course_offers_its_pages_and_the_room_they_take(client):
    page = client.get("/offline").get_data(as_text=True)
    courses = re.findall(r'<li data-urls="([^"]+)">([^<]+)<button[^>]*>([^<]+)</button>', page)
    assert [title.strip() for _, title, _ in courses] == ["Demo course"]
    paths, _, label = courses[0]
    paths = paths.split()
    assert paths[0].startswith("/c/") and all(p.startswith("/m/") for p in paths[1:])
    assert sum(p.endswith("/q") for p in paths) == 1  # the one module with a quiz
    stored = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200
        stored += len(response.get_data())
        for image in re.findall(r'src="([^"]*media/[^"]+)"', response.get_data(as_text=True)):
            picture = client.get(urljoin(path, image))
            assert picture.mimetype.startswith("image/")
            stored += len(picture.get_data())
    said = int(re.search(r"about (\d+) KB", label)[1])
    assert said == -(-stored // 1024)


def test_the_size_is_of_the_guest_pages_even_for_a_signed_in_trainee(client, sign_up):
    guest = client.get("/offline").get_data(as_text=True)
    sign_up(client)
    trainee = client.get("/offline").get_data(as_text=True)
    assert re.findall(r"about \d+ KB", trainee) == re.findall(r"about \d+ KB", guest)
    assert "My progress" in trainee  # the page itself is the trainee's


def test_the_page_scripts_are_exactly_those_its_policy_allows(client):
    response = client.get("/offline")
    policy = response.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script>(.*?)</script>", response.get_data(as_text=True), re.S)
    assert len(scripts) == 2  # offline reading's own, and the quick exit
    for code in scripts:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "worker-src 'self'" in policy
    # Other pages may run no worker and no script but the quick exit.
    other = client.get("/").headers["Content-Security-Policy"]
    assert "worker-src" not in other and other.count("sha256-") == 1


def test_the_worker_is_checked_on_each_visit_and_may_reach_only_this_site(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert "no-cache" in response.headers["Cache-Control"]
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; connect-src 'self'"
    # The browser checks it for updates on visits: unchanged, that costs a 304 with no body.
    again = client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    # It stores only pages with no personal data: never results, progress or account pages.
    code = response.get_data(as_text=True)
    keep = re.search(r"var KEEP = /(.*)/;", code)[1]
    for path in ("r/abc", "progress", "account", "sign-in", "join", "g/abc"):
        assert not re.fullmatch(keep.replace("\\/", "/"), path), path
    for path in ("", "c/abc", "m/abc", "m/abc/q", "offline", "safety"):
        assert re.fullmatch(keep.replace("\\/", "/"), path), path


def test_signing_out_asks_the_browser_to_remove_what_offline_reading_kept(client, sign_up):
    sign_up(client)
    response = client.post("/sign-out")
    assert response.status_code == 303
    assert "storage" in response.headers["Clear-Site-Data"]


def test_the_course_and_safety_pages_lead_to_offline_reading(client):
    catalogue = client.get("/").get_data(as_text=True)
    course = re.search(r'href="(/c/[^"]+)"', catalogue)[1]
    assert 'href="/offline"' in client.get(course).get_data(as_text=True)
    assert 'href="/offline"' in client.get("/safety").get_data(as_text=True)


def test_the_sizes_hold_behind_a_trusted_host_list(make_app, fixture_repo, client):
    said = re.findall(r"about \d+ KB", client.get("/offline").get_data(as_text=True))
    app = make_app(fixture_repo(), ACADEMY_TRUSTED_HOSTS=["learn.example.org"])
    with app.app_context():
        sync_courses()
    page = app.test_client().get("/offline", base_url="https://learn.example.org")
    assert page.status_code == 200
    assert re.findall(r"about \d+ KB", page.get_data(as_text=True)) == said


BACKGROUND = {"Academy-Background": "1"}


@pytest.fixture
def csrf_app(make_app, fixture_repo):
    """The demo courses with CSRF checked, as in production."""
    app = make_app(fixture_repo(), WTF_CSRF_ENABLED=True)
    with app.app_context():
        sync_courses()
    return app


def _quiz(client) -> str:
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True))[1]
    return re.search(r'href="(/m/[^"/]+)"', client.get(course).get_data(as_text=True))[1] + "/q"


def _join(client, name: str) -> None:
    form = client.get("/join").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', form)[1]
    data = {"csrf_token": token, "username": name, "password": "river stones 42"}
    assert client.post("/join", data=data).status_code == 303


def _ticket(client, quiz: str) -> str:
    return re.search(r'name="ticket" value="([^"]+)"', client.get(quiz).get_data(as_text=True))[1]


def _stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuizAttempt))


def test_queued_answers_with_their_ticket_are_stored_once_without_a_page_or_a_cookie(csrf_app):
    trainee = csrf_app.test_client()
    _join(trainee, "rose")
    quiz = _quiz(trainee)
    # The answers a kept form holds: an old security token the server no longer takes.
    answers = {"csrf_token": "outlived", "ticket": _ticket(trainee, quiz), **RIGHT}
    first = trainee.post(quiz, data=answers, headers=BACKGROUND)
    assert first.status_code == 204 and first.get_data() == b""
    assert first.headers["Academy-Result"].startswith("/r/")
    assert "Set-Cookie" not in first.headers
    again = trainee.post(quiz, data=answers, headers=BACKGROUND)  # a reply lost on the way
    assert again.headers["Academy-Result"] == first.headers["Academy-Result"]
    assert _stored(csrf_app) == 1
    # Without the header, an outlived token is refused as ever: the form comes back filled in.
    assert trainee.post(quiz, data=answers).status_code == 400


def test_queued_answers_are_refused_with_nothing_when_their_trainee_is_not_signed_in(csrf_app):
    rose, phone = csrf_app.test_client(), csrf_app.test_client()
    _join(rose, "rose")
    quiz = _quiz(rose)
    answers = {"ticket": _ticket(rose, quiz), **RIGHT}
    _join(phone, "bella")  # someone else on the phone by the time the signal returns
    for client in (phone, csrf_app.test_client()):
        refused = client.post(quiz, data=answers, headers=BACKGROUND)
        assert refused.status_code == 409 and refused.get_data() == b""
        assert "Set-Cookie" not in refused.headers
    # And answers with no ticket never go in the background, whoever is signed in.
    assert phone.post(quiz, data=RIGHT, headers=BACKGROUND).status_code == 409
    assert _stored(csrf_app) == 0
