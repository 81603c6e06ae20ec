"""A module or a course as one self-contained file: headers, neutrality, language, size."""

import base64
import math
import re

import pytest
from sqlalchemy import select

from academy.db import db
from academy.learn import queries
from academy.models import Course, MediaFile, Module, ModuleText
from tests.conftest import FIXTURES

BUDGET = 51_200
PUBLIC_URL = "https://learn.example.org"


def external_references(html: str, allowed: str = "") -> list[str]:
    """Everything in a file that would make a browser or a reader reach another host."""
    found = re.findall(r'(?:src|href)="https?:[^"]*"|<link\b|@import|url\(\s*["\']?https?:', html)
    return [ref for ref in found if not (allowed and ref.startswith(f'href="{allowed}/'))]


def ids_and_anchors(html: str) -> tuple[list[str], list[str]]:
    """Every id in the file, and every in-page link target."""
    return re.findall(r' id="([^"]+)"', html), re.findall(r'href="#([^"]*)"', html)


@pytest.fixture
def urls(app):
    with app.app_context():
        course = db.session.scalar(select(Course))
        modules = {m.key: m.public_id for m in db.session.scalars(select(Module))}
    return {"course": course.public_id, **modules}


def test_a_module_downloads_as_a_neutrally_named_html_file(client, urls):
    response = client.get(f"/m/{urls['first-steps']}/offline.html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="lesson-1.html"'
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in html and 'name="viewport"' in html
    assert '<html lang="en" dir="ltr">' in html
    # The site's name only: a downloads list or a forwarded file says nothing of the topic.
    assert re.search(r"<title>(.*?)</title>", html)[1] == "Academy"
    assert '<h1 lang="en" dir="ltr">First steps</h1>' in html


def test_file_names_name_no_topic(client, urls):
    names = [
        client.get(f"/m/{urls[key]}/offline.html").headers["Content-Disposition"]
        for key in ("first-steps", "second-steps")
    ]
    names.append(client.get(f"/c/{urls['course']}/offline.html").headers["Content-Disposition"])
    assert names == [
        f'attachment; filename="{name}"'
        for name in ("lesson-1.html", "lesson-2.html", "course.html")
    ]


def test_the_file_is_cached_like_other_public_pages(client, urls):
    url = f"/m/{urls['first-steps']}/offline.html"
    first = client.get(url)
    assert first.headers["ETag"].startswith('W/"')
    assert "no-cache" in first.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_the_file_has_its_styles_lesson_version_sources_and_review_notice(client, urls):
    html = client.get(f"/m/{urls['first-steps']}/offline.html").get_data(as_text=True)
    assert re.search(r"<style>[^<]*\.question\{[^<]*</style>", html)
    assert "Welcome to the first lesson about apples." in html
    assert "Only for facilitators" not in html
    assert "Version 1.0.0 · Nov 1, 2026" in html
    assert "<li>NSWP (2024), Test source</li>" in html
    assert "A lawyer has not checked this lesson yet." in html
    reviewed = client.get(f"/m/{urls['second-steps']}/offline.html").get_data(as_text=True)
    assert "A lawyer has not checked" not in reviewed
    assert "Version 1.1.0 · Nov 10, 2026" in reviewed


def test_nothing_in_the_file_reaches_another_host_and_no_site_address_by_default(client, urls):
    html = client.get(f"/m/{urls['first-steps']}/offline.html").get_data(as_text=True)
    assert external_references(html) == []
    assert "localhost" not in html and "From " not in html
    # A lesson's link to another site stays readable, as text to copy, not a link to tap.
    assert "Some text with a link (https://example.org)." in html
    # Even opened online, a browser would fetch nothing: the file says so itself.
    assert "default-src 'none'; img-src data:;" in html


def test_the_quiz_is_a_self_checking_form_with_the_key_and_answers(client, urls):
    html = client.get(f"/m/{urls['first-steps']}/offline.html").get_data(as_text=True)
    assert "This practice quiz is not saved or sent anywhere." in html
    assert html.count('type="radio" name="m1q1"') == 2
    assert html.count('type="checkbox" name="m1q2"') == 3
    assert 'type="text" name="m1q4"' in html
    assert '<button type="button" hidden>Check my answers</button>' in html
    key = re.search(r'<script type="application/json">(.*?)</script>', html)[1]
    assert '{"k":"multiple","p":true,"c":[0,1]}' in key
    assert '{"k":"short","a":["red","rouge"]}' in key
    # Without JavaScript: the answers and their feedback, folded away at the end of the quiz.
    answers = re.search(r"<details>\s*<summary>Answer key</summary>(.*?)</details>", html, re.S)[1]
    assert "✓ Right answer: <strong>Apples</strong>" in answers
    assert "Carrots are a vegetable." in answers
    assert "Accepted: red, rouge" in answers and "The square is red." in answers
    # The script fetches nothing and runs nothing it builds.
    script = re.findall(r"<script>(.*?)</script>", html, re.S)[-1]
    for word in ("eval", "Function(", "fetch", "XMLHttpRequest", "http", "innerHTML"):
        assert word not in script, word


def test_language_follows_the_readers_choice(client, urls):
    client.get("/lang/fr?next=/")
    html = client.get(f"/m/{urls['first-steps']}/offline.html").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert '<h1 lang="fr" dir="ltr">Premiers pas</h1>' in html
    assert "Bienvenue dans la première leçon sur les pommes." in html
    assert "apples" not in html.split("<h1", 1)[1].split("<section", 1)[0]


def test_images_are_inlined_from_the_database(app, client, urls):
    html = client.get(f"/m/{urls['second-steps']}/offline.html").get_data(as_text=True)
    png = (FIXTURES / "good/demo/02-second/media/square.png").read_bytes()
    inlined = f'src="data:image/png;base64,{base64.b64encode(png).decode()}" alt="A small square"'
    assert inlined in html
    assert "/media/" not in html and "[A small square]" not in html


@pytest.mark.parametrize(
    ("query", "headers"),
    [("?data-saver=1", {}), ("", {"Save-Data": "on"})],
    ids=["query", "header"],
)
def test_data_saver_replaces_images_with_their_description(client, urls, query, headers):
    response = client.get(f"/m/{urls['second-steps']}/offline.html{query}", headers=headers)
    html = response.get_data(as_text=True)
    assert "<img" not in html and "data:image" not in html
    assert '<span class="missing-image">[A small square]</span>' in html
    assert "Save-Data" in response.headers["Vary"]


def test_images_that_would_overflow_the_budget_become_their_description(app, client, urls):
    with app.app_context():
        # Two 30 KB pictures (the most an author may add): only the first fits in 50 KB.
        text = db.session.scalar(select(ModuleText).where(ModuleText.title == "Second steps"))
        for digest, alt in (("b" * 20, "A big picture"), ("c" * 20, "Another big picture")):
            db.session.add(MediaFile(digest=digest, mime="image/png", data=bytes(30 * 1024)))
            text.html += (
                f'<p><img src="../media/{digest}.png" alt="{alt}" width="9" height="9"></p>'
            )
        db.session.commit()
    html = client.get(f"/m/{urls['second-steps']}/offline.html").get_data(as_text=True)
    assert len(html.encode()) <= BUDGET
    assert 'alt="A small square"' in html  # first in the lesson, and small
    assert html.count('src="data:image/png;base64,AAAA') == 1
    assert 'alt="A big picture"' in html and "[Another big picture]" in html


def test_links_to_other_pages_become_text_and_anchors_stay_in_the_page(app, make_app, urls):
    with app.app_context():
        text = db.session.scalar(select(ModuleText).where(ModuleText.title == "First steps"))
        text.html += (
            '<p>See <a href="../m/abc">the next lesson</a> and <a href="#s1">part one</a>.</p>'
        )
        db.session.commit()
    html = app.test_client().get(f"/m/{urls['first-steps']}/offline.html").get_data(as_text=True)
    assert "See the next lesson and" in html
    assert '<a href="#m1-s1">part one</a>' in html and ' id="m1-s1"' in html
    app.config["ACADEMY_PUBLIC_URL"] = PUBLIC_URL + "/"
    html = app.test_client().get(f"/m/{urls['first-steps']}/offline.html").get_data(as_text=True)
    assert f'<a href="{PUBLIC_URL}/m/abc">the next lesson</a>' in html
    address = f"{PUBLIC_URL}/m/{urls['first-steps']}"
    assert f'From <a href="{address}">{address}</a>' in html
    assert external_references(html, allowed=PUBLIC_URL) == []


def test_the_course_file_has_every_module_in_order_after_its_contents(client, urls):
    response = client.get(f"/c/{urls['course']}/offline.html")
    assert response.headers["Content-Disposition"] == 'attachment; filename="course.html"'
    html = response.get_data(as_text=True)
    assert re.search(r"<title>(.*?)</title>", html)[1] == "Academy"
    assert "<h1>Demo course</h1>" in html and "<h2>Contents</h2>" in html
    assert html.index('href="#m1"') < html.index('<article id="m1">') < html.index("about apples")
    assert html.index("about apples") < html.index('<article id="m2">') < html.index("oranges")
    assert html.count("<style>") == 1 and html.count("<script>") == 1
    assert html.count('<section class="quiz"') == 1  # the second module has no quiz
    ids, anchors = ids_and_anchors(html)
    assert len(ids) == len(set(ids)) and set(anchors) <= set(ids)
    assert external_references(html) == []


def test_unknown_ids_are_not_found(client):
    assert client.get("/m/nothere/offline.html").status_code == 404
    assert client.get("/c/nothere/offline.html").status_code == 404


def test_module_and_course_pages_link_to_their_file_with_its_size(client, urls):
    for page, file in [
        (f"/m/{urls['first-steps']}", "Save this lesson as one file"),
        (f"/c/{urls['course']}", "Save the whole course as one file"),
    ]:
        html = client.get(page).get_data(as_text=True)
        found = re.search(
            rf'<a href="({page}/offline.html)" download>{file}</a> \((\d+) KB\)', html
        )
        assert found, page
        size = len(client.get(found[1]).get_data())
        assert int(found[2]) == math.ceil(size / 1024)


def test_every_real_module_fits_in_50_kb_in_every_language_with_nothing_external(real_client):
    sizes = {}
    with real_client.application.app_context():
        courses = [(c.public_id, c.key, c.languages) for c in queries.listed_courses(db.session)]
        modules = {
            c.public_id: [m.public_id for m in c.modules if m.listed]
            for c in queries.listed_courses(db.session)
        }
    for course, key, languages in courses:
        for language in languages:
            real_client.get(f"/lang/{language}?next=/")
            for number, module in enumerate(modules[course], start=1):
                html = real_client.get(f"/m/{module}/offline.html").get_data()
                assert len(html) <= BUDGET, f"{key} lesson {number} ({language}): {len(html)} B"
                assert external_references(html.decode()) == [], f"{key} lesson {number}"
                sizes[key, language, number] = len(html)
            whole = real_client.get(f"/c/{course}/offline.html").get_data()
            assert external_references(whole.decode()) == [], key
            ids, anchors = ids_and_anchors(whole.decode())
            assert len(ids) == len(set(ids)) and set(anchors) <= set(ids), key
    # 19 modules in English, and the five of Legal literacy in French, Spanish and Russian.
    assert len(sizes) >= 34


def test_a_real_french_reader_gets_the_french_lesson(real_client):
    with real_client.application.app_context():
        course = next(c for c in queries.listed_courses(db.session) if c.key == "legal-literacy")
        first = course.modules[0].public_id
    real_client.get("/lang/fr?next=/")
    html = real_client.get(f"/m/{first}/offline.html").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html and '<div class="lesson" lang="fr"' in html
    assert "<h2>Les cinq modèles</h2>" in re.sub(r' id="[^"]+"', "", html)
    assert "Leçon 1" in html  # the interface's words too
