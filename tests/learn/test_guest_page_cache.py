"""A module page is rendered once for all guests, and afresh when anything on it is republished."""

from __future__ import annotations

import gzip
import re

import brotli
from flask import template_rendered

from academy.cli import sync_courses
from tests.test_sync import bump


def _renders(app):
    """A list that grows by one each time the module template is rendered."""
    seen = []

    def record(sender, template, context, **extra):
        if template.name == "learn/module.html":
            seen.append(template.name)

    template_rendered.connect(record, app, weak=False)
    return seen


def _first_module(client) -> str:
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(True)).group(1)
    return re.findall(r'href="(/m/[^"/]+)"', client.get(course).get_data(True))[0]


def test_guests_share_one_rendering_until_something_is_republished(make_app, fixture_repo):
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
    renders = _renders(app)
    guest, other_guest = app.test_client(), app.test_client()
    module = _first_module(guest)
    first = guest.get(module).get_data(as_text=True)
    assert other_guest.get(module).get_data(as_text=True) == first
    assert len(renders) == 1

    # A new version of the lesson: guests see it at once.
    lesson = courses / "demo" / "01-first" / "lesson.md"
    lesson.write_text(lesson.read_text().replace("Welcome", "Hello and welcome"))
    bump(courses / "demo" / "01-first", "1.0.0", "1.1.0")
    with app.app_context():
        sync_courses()
    assert "Hello and welcome" in guest.get(module).get_data(as_text=True)
    assert len(renders) == 2

    # The course renamed, no lesson changed: its name on the page follows.
    course_file = courses / "demo" / "course.yaml"
    course_file.write_text(course_file.read_text().replace("Demo course", "Demonstration"))
    with app.app_context():
        sync_courses()
    assert "Demonstration" in guest.get(module).get_data(as_text=True)

    # Another language is another page.
    assert 'lang="fr"' in guest.get(module, headers={"Accept-Language": "fr"}).get_data(True)


def test_signed_in_trainees_get_their_own_page_every_time(app, trainee):
    renders = _renders(app)
    module = _first_module(trainee)
    trainee.get(module)
    trainee.get(module)
    assert len(renders) == 2


def test_a_guest_gets_the_kept_lesson_compressed_once_at_the_best_level(client):
    lesson = _first_module(client)
    plain = client.get(lesson).get_data()
    first = client.get(lesson, headers={"Accept-Encoding": "gzip, br"})
    assert first.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in first.headers["Vary"]
    assert brotli.decompress(first.get_data()) == plain
    # Smaller than the level a page compressed per request can afford (what Flask-Compress sends).
    assert len(first.get_data()) < len(brotli.compress(plain, quality=5))
    gzipped = client.get(lesson, headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(gzipped.get_data()) == plain
    # The same bytes every time, so a revisit is answered "not modified".
    again = client.get(lesson, headers={"Accept-Encoding": "br"})
    assert again.get_data() == first.get_data()
    revisit = client.get(
        lesson, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]}
    )
    assert revisit.status_code == 304
