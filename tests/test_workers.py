"""The many-workers shape: gunicorn with 4 workers on PostgreSQL and Redis, through real HTTP."""

import http.cookiejar
import re
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from academy.cli import sync_courses
from academy.db import db
from academy.models import QuizAttempt
from tests.real_server import gunicorn

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect()
        )

    def get(self, path: str) -> tuple[int, str, dict]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)


def _field(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture
def many_workers(make_app, database_url, redis_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("the many-workers shape runs on PostgreSQL")
    app = make_app()
    with app.app_context():
        sync_courses()
    with gunicorn(
        app, database_url, tmp_path, workers=4, ACADEMY_RATELIMIT_STORAGE_URL=redis_url
    ) as (base, log):
        yield app, base, log


def test_four_workers_serve_the_quiz_flow_and_store_one_attempt_per_form(many_workers):
    app, base, log = many_workers
    trainee = Browser(base)
    status, page, _ = trainee.get("/join")
    data = {
        "username": "rose",
        "password": "river stones 42",
        "csrf_token": _field(page, "csrf_token"),
    }
    assert trainee.post("/join", data)[0] == 303
    _, home, _ = trainee.get("/")
    course = re.search(r'href="(/c/[^"]+)"', home).group(1)
    module = re.findall(r'href="(/m/[^"/]+)"', trainee.get(course)[1])[0]
    _, quiz, _ = trainee.get(module + "/q")
    form = {
        "csrf_token": _field(quiz, "csrf_token"),
        "ticket": _field(quiz, "ticket"),
        "q1": "1",
        "q2": ["0", "1"],
        "q3": "0",
        "q4": "red",
    }
    # the same form sent several times lands on different workers: still one attempt
    answers = [trainee.post(module + "/q", form) for _ in range(6)]
    assert {status for status, _, _ in answers} == {303}
    assert len({headers["Location"] for _, _, headers in answers}) == 1
    status, result, _ = trainee.get(answers[0][2]["Location"])
    assert status == 200 and "Your result: 100%" in result
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1

    # the access log names no client address and no query string
    trainee.get("/lang/fr?next=/")
    time.sleep(0.5)
    text = Path(log).read_text()
    assert '"GET /lang/fr"' in text
    assert "next=" not in text and "127.0.0.1 -" not in text and "rose" not in text
