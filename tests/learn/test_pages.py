import re
from datetime import date

import pytest
from babel.dates import format_date
from sqlalchemy import select

from academy.cli import sync_courses
from academy.db import db
from academy.models import Course, Module


def links(html: str, prefix: str) -> list[str]:
    return re.findall(rf'href="({prefix}[^"]+)"', html)


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html).group(1)


@pytest.fixture
def urls(app):
    with app.app_context():
        course = db.session.scalar(select(Course))
        modules = {m.key: f"/m/{m.public_id}" for m in db.session.scalars(select(Module))}
        return {"course": f"/c/{course.public_id}", **modules}


def test_catalogue_lists_courses_with_size_and_languages(client, urls):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Demo course" in html and "A tiny course for tests." in html
    assert "2 modules · 25 minutes" in html
    # Each language with how many modules can be read in it.
    assert '<span lang="en">English</span> 2 of 2 · <span lang="fr">French</span> 1 of 2' in html
    assert links(html, "/c/") == [urls["course"]]


def test_course_page_lists_modules_in_order_with_minutes_and_objectives(client, urls):
    html = client.get(urls["course"]).get_data(as_text=True)
    assert links(html, "/m/") == [urls["first-steps"], urls["second-steps"]]
    assert html.index("First steps") < html.index("Second steps")
    assert "10 minutes" in html and "15 minutes" in html
    assert "<li>Read a lesson</li>" in html
    assert "For: Test readers." in html


def test_module_page_shows_lesson_sources_version_and_neighbours(client, urls):
    html = client.get(urls["first-steps"]).get_data(as_text=True)
    assert '<h1 lang="en" dir="ltr">First steps</h1>' in html
    assert "Welcome to the first lesson about apples." in html
    assert "Only for facilitators" not in html
    assert "<li>NSWP (2024), Test source</li>" in html
    assert "Version 1.0.0: what changed" in html
    assert "<li>1.0.0 (Nov 1, 2026): First version</li>" in html
    assert "A lawyer has not checked this lesson yet." in html
    assert f'rel="next" href="{urls["second-steps"]}"' in html
    assert 'rel="prev"' not in html
    last = client.get(urls["second-steps"]).get_data(as_text=True)
    assert f'rel="prev" href="{urls["first-steps"]}"' in last
    assert 'rel="next"' not in last
    assert "A lawyer has not checked" not in last  # this one is marked reviewed


def test_module_image_is_served_from_this_site(client, urls):
    html = client.get(urls["second-steps"]).get_data(as_text=True)
    (src,) = re.findall(r'<img src="([^"]+)"', html)
    assert src.startswith("../media/")
    image = client.get("/" + src.removeprefix("../"))
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.data.startswith(b"\x89PNG")
    assert "immutable" in image.headers["Cache-Control"]


def test_urls_and_titles_do_not_name_the_topic(client, urls):
    for url in urls.values():
        assert re.fullmatch(r"/[cm]/[a-z0-9]{8}", url)
    assert title(client.get("/").get_data(as_text=True)) == "Academy"
    assert title(client.get(urls["course"]).get_data(as_text=True)) == "Academy · Course"
    assert title(client.get(urls["second-steps"]).get_data(as_text=True)) == "Academy · Lesson 2"
    html = client.get(urls["first-steps"]).get_data(as_text=True)
    # anchors are numbered, never made of heading words: s1 for a section, share1 for the
    # first activity a cohort answers together
    assert re.findall(r'id="([^"]+)"', html) == ["main", "s1", "share1"]


def test_site_name_is_the_operators_choice(make_app):
    app = make_app(ACADEMY_SITE_NAME="Garden club")
    html = app.test_client().get("/").get_data(as_text=True)
    assert title(html) == "Garden club"


def test_content_follows_the_browser_language_when_translated(client, urls):
    french = client.get(urls["first-steps"], headers={"Accept-Language": "fr"})
    html = french.get_data(as_text=True)
    assert '<h1 lang="fr" dir="ltr">Premiers pas</h1>' in html
    assert "Cette traduction est un brouillon." in html  # the interface speaks French too
    assert '<p class="box-label">À savoir</p>' in html
    untranslated = client.get(urls["second-steps"], headers={"Accept-Language": "fr"})
    assert '<div class="lesson" lang="en" dir="ltr">' in untranslated.get_data(as_text=True)


def test_unchanged_page_answers_304(client, urls):
    first = client.get(urls["first-steps"])
    assert first.headers["ETag"].startswith('W/"')
    again = client.get(urls["first-steps"], headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get(urls["second-steps"], headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200


def test_unknown_pages_get_a_friendly_404(client, urls):
    for url in ["/m/nothere", "/c/nothere", "/nothing"]:
        response = client.get(url)
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "This page does not exist" in html
        assert "Leave this site now" in html


def test_hidden_module_is_not_found(app, client, urls):
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.key == "second-steps"))
        module.listed = False
        db.session.commit()
    assert client.get(urls["second-steps"]).status_code == 404
    assert urls["second-steps"] not in client.get(urls["course"]).get_data(as_text=True)


def test_server_error_is_calm_and_shows_no_traceback(make_app):
    app = make_app()
    app.config["TESTING"] = False  # let the error handler answer as in production

    def broken():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/broken", view_func=broken)
    response = app.test_client().get("/broken")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "secret internal detail" not in html and "Traceback" not in html


def test_quick_exit_forgets_the_visit_and_leaves(client):
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == "https://www.bbc.com/weather"
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    page = client.get("/").get_data(as_text=True)
    assert page.index('class="exit"') < page.index("<header")  # first thing on the page


def test_pages_forbid_other_hosts_and_referrers(client):
    headers = client.get("/").headers
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in client.get("/").get_data(True)


def test_forms_work_over_https_where_the_browser_sends_a_same_site_referer(make_app):
    """Flask-WTF refuses an HTTPS POST without a same-site Referer: the policy must allow it."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    base = "https://academy.example.org"
    page = client.get("/join", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"username": "rose", "password": "river stones 42", "csrf_token": token}
    # what a browser sends under Referrer-Policy: same-origin
    sent = client.post("/join", data=data, base_url=base, headers={"Referer": base + "/join"})
    assert sent.status_code == 303
    # and what it would send under no-referrer: refused, which is why the policy is not that
    client.post(
        "/sign-out", data={"csrf_token": token}, base_url=base, headers={"Referer": base + "/"}
    )
    page = client.get("/join", base_url=base).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    refused = client.post(
        "/join", data={**data, "csrf_token": token, "username": "lily"}, base_url=base
    )
    assert refused.status_code == 400


def test_stylesheet_is_cached_for_a_year_and_versioned(client):
    html = client.get("/").get_data(as_text=True)
    (href,) = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    css = client.get(href)
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "max-age=31536000" in css.headers["Cache-Control"]
    assert client.get("/academy-000000000000.css").status_code == 404


def test_quick_exit_works_as_a_plain_form_post_without_a_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    response = app.test_client().post("/exit")
    assert response.status_code == 303


def test_posts_without_a_csrf_token_are_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)

    def form():
        return "saved"

    app.add_url_rule("/form", view_func=form, methods=["POST"])
    assert app.test_client().post("/form").status_code == 400


def test_module_page_lists_what_changed_in_each_version(client, urls):
    html = client.get(urls["second-steps"]).get_data(as_text=True)
    assert "<summary>Version 1.1.0: what changed</summary>" in html
    assert html.index("1.1.0 (Nov 10, 2026): Added a picture") < html.index(
        "1.0.0 (Nov 1, 2026): First version"
    )
    russian = client.get(urls["second-steps"], headers={"Accept-Language": "ru"})
    russian_date = format_date(date(2026, 11, 10), format="medium", locale="ru")
    assert russian_date.startswith("10 нояб. 2026")
    assert f"1.1.0 ({russian_date}): Added a picture" in russian.get_data(as_text=True)


def test_quick_exit_beacon_from_the_script_keeps_the_left_flag(client):
    response = client.post("/exit?js")
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies"'


def test_the_only_script_is_the_inline_quick_exit_allowed_by_its_hash(client):
    import base64
    import hashlib

    response = client.get("/")
    html = response.get_data(as_text=True)
    (code,) = re.findall(r"<script>(.*?)</script>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}';" in response.headers["Content-Security-Policy"]
    assert 'data-exit-url="https://www.bbc.com/weather"' in html


def test_session_cookie_stays_on_this_site_and_media_stays_private(client, urls):
    html = client.get(urls["second-steps"]).get_data(as_text=True)
    (src,) = re.findall(r'<img src="([^"]+)"', html)
    image = client.get("/" + src.removeprefix("../"))
    assert "private" in image.headers["Cache-Control"]
    assert "public" not in image.headers["Cache-Control"]
    quiz = client.get(urls["first-steps"] + "/q")
    assert "SameSite=Lax" in quiz.headers.get("Set-Cookie", "")


def test_untranslated_lesson_says_so_in_the_readers_language(client, urls):
    html = client.get(urls["second-steps"], headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert "Cette leçon n’existe pas encore en français." in html
    english = client.get(urls["second-steps"]).get_data(as_text=True)
    assert "not yet available" not in english


def test_a_lagging_translation_says_it_may_be_out_of_date(make_app, fixture_repo):
    courses = fixture_repo()
    lesson = courses / "demo" / "01-first" / "lesson.md"
    text = lesson.read_text().replace("version: 1.0.0", "version: 1.0.1", 1)
    lesson.write_text(
        text.replace(
            "changes:\n",
            "changes:\n  - {version: 1.0.1, date: 2026-11-20, summary: Fixed a word}\n",
        )
    )
    app = make_app(courses)
    with app.app_context():
        sync_courses()
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    course = re.search(r'href="(/c/[^"]+)"', home).group(1)
    first = re.findall(r'href="(/m/[^"/]+)"', client.get(course).get_data(as_text=True))[0]
    html = client.get(first, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "older version" not in html
    french = client.get(first, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "ancienne version de la leçon (1.0.0, maintenant 1.0.1)" in french


def test_catalogue_filters_by_language(client, make_app, fixture_repo):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/?in=fr"' in home and "<strong>all languages</strong>" in home
    french = client.get("/?in=fr").get_data(as_text=True)
    assert "Demo course" in french and "<strong>French</strong>" in french
    assert "Demo course" not in client.get("/?in=ru").get_data(as_text=True)
