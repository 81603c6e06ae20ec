"""Injection: hostile course Markdown, usernames, answers and form input never become live code."""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from academy.cli import sync_courses
from academy.content import InvalidRepository
from tests.attack.conftest import signed_in, snapshot
from tests.conftest import PASSWORD
from tests.learn.test_attempts import RIGHT, _ticket

SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
# 1337 × 1337: a number that appears on a page only if a template evaluated the expression.
TEMPLATE = "{{ 1337*1337 }}"
EVALUATED = "1787569"


def _main(page: str) -> str:
    """The <main> part of a page: what course content and user input can reach."""
    return page[page.index("<main") : page.index("</main>")]


class _Tags(HTMLParser):
    """The tags and attributes a browser would build from a piece of HTML."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(_main(page))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _live_script_urls(page: str) -> list[str]:
    """Every href/src/action in <main> that a browser would run as script or a document."""
    found = []
    for _tag, attrs in _Tags(page).tags:
        for name in ("href", "src", "action", "formaction"):
            # Attribute values arrive entity-decoded; browsers also drop controls and spaces.
            url = re.sub(r"[\x00-\x20]", "", attrs.get(name, ""))
            if ":" in url and url.split(":", 1)[0].lower() in {"javascript", "vbscript", "data"}:
                found.append(url)
    return found


def _live_html(page: str) -> list[str]:
    """Elements in <main> that run script: <script>, <iframe>..., or an on... event attribute."""
    return [
        f"<{tag} {' '.join(attrs)}>"
        for tag, attrs in _Tags(page).tags
        if tag in {"script", "iframe", "object", "embed"} or any(a.startswith("on") for a in attrs)
    ]


def _publish(make_app, fixture_repo, file: str, payload: str):
    """Publish the demo course, then a new version of its first module with `payload` added."""
    # Returns the app and whether `academy sync` refused the new version (the old one stays).
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
    module = courses / "demo" / "01-first"
    lesson = module / "lesson.md"
    text = lesson.read_text().replace("\nversion: 1.0.0\n", "\nversion: 1.0.1\n")
    text = text.replace(
        "changes:\n", "changes:\n  - {version: 1.0.1, date: 2026-11-20, summary: An edit}\n"
    )
    lesson.write_text(text)
    target = module / file
    target.write_text(target.read_text() + "\n" + payload + "\n")
    with app.app_context():
        try:
            sync_courses()
        except InvalidRepository:
            return app, True
    return app, False


def _first_module(client) -> str:
    """The first module's path."""
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    return re.findall(r'href="(/m/[^"]+)"', client.get(course).get_data(as_text=True))[0]


@pytest.mark.parametrize(
    ("file", "payload", "page", "shown"),
    [
        ("lesson.md", SCRIPT, "", ESCAPED_SCRIPT),
        ("lesson.md", '<img src=x onerror="alert(1)">', "", "&lt;img src=x onerror="),
        (
            "quiz.md",
            f"## <iframe src=//evil.example></iframe> Pick\n- [x] {SCRIPT}\n  > <b onmouseover=alert(1)>b</b>\n- [ ] No",
            "/q",
            ESCAPED_SCRIPT,
        ),
        ("lesson.fr.md", SCRIPT, "?fr", ESCAPED_SCRIPT),
    ],
    ids=["script-tag", "img-onerror", "quiz-question-and-option", "translation"],
)
def test_raw_html_in_course_markdown_is_shown_as_text_never_run(
    make_app, fixture_repo, file, payload, page, shown
):
    app, refused = _publish(make_app, fixture_repo, file, payload)
    assert not refused  # published: raw HTML is not an error, it is escaped
    client = app.test_client()
    url = _first_module(client) + page.removeprefix("?fr")
    headers = {"Accept-Language": "fr"} if page == "?fr" else {}
    response = client.get(url, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert shown in html
    assert _live_html(html) == []


@pytest.mark.parametrize(
    "link",
    [
        "[tap](javascript:alert(1))",
        "[tap](JaVaScRiPt:alert(1))",
        "[tap](java&#x09;script:alert(1))",
        "[tap](&#106;avascript:alert(1))",
        "[tap](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[tap](vbscript:msgbox(1))",
        "[tap](< javascript:alert(1)>)",
        "[tap](<\x0bjavascript:alert(1)>)",
    ],
    ids=[
        "javascript",
        "mixed-case",
        "tab-entity",
        "decimal-entity",
        "data-html",
        "vbscript",
        "leading-space",
        "control-character",
    ],
)
def test_script_links_in_course_markdown_never_become_live_links(make_app, fixture_repo, link):
    app, _refused = _publish(make_app, fixture_repo, "lesson.md", link)
    # Refused by the checker (the old version stays) or published with the link dropped:
    # either way the lesson a trainee opens has no link a browser would run.
    response = app.test_client().get(_first_module(app.test_client()))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Welcome to the first lesson" in html
    assert _live_script_urls(html) == []
    assert _live_html(html) == []


def test_markup_in_a_username_is_escaped_wherever_it_is_shown(site):
    # The sign-up rules refuse "<", so such a name could only come from an old import or a
    # restored backup: output escaping is what must protect the pages that show it.
    hostile = signed_in(site.app, SCRIPT)
    assert hostile.post("/group/join", data={"code": site.code}).status_code == 303
    assert hostile.post(f"/m/{site.first}/share/1", data={"body": "Hello"}).status_code == 303
    for viewer, url in [
        (site.fatima, f"/f/g/{site.cohort}"),  # the progress grid and the shared answers
        (site.lily, f"/m/{site.first}"),  # the cohort's exchange under the lesson
        (site.root, f"/admin/roles?username={quote(SCRIPT)}"),
    ]:
        response = viewer.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert ESCAPED_SCRIPT in html and SCRIPT not in html, url
        assert _live_html(html) == [], url


@pytest.mark.parametrize("where", ["shared-answer", "cohort-name", "username"])
def test_template_syntax_typed_by_users_shows_literally(site, where):
    if where == "shared-answer":
        site.lily.post(f"/m/{site.first}/share/1", data={"body": TEMPLATE})
        response = site.rose.get(f"/m/{site.first}")
    elif where == "cohort-name":
        data = {"course": site.course, "name": TEMPLATE, "language": "en"}
        created = site.fatima.post("/f/", data=data)
        response = site.fatima.get(created.headers["Location"])
    else:
        signed_in(site.app, TEMPLATE)  # "{" is refused at sign-up: only escaping protects
        response = site.root.get("/admin/roles", query_string={"username": TEMPLATE})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert TEMPLATE in html and EVALUATED not in html


def test_html_typed_as_a_quiz_answer_is_escaped_on_the_result_and_the_refilled_form(site):
    typed = f'"><b onmouseover=alert(1)>x</b>{SCRIPT}'
    quiz = f"/m/{site.first}/q"
    data = {**RIGHT, "q4": typed, "ticket": _ticket(site.lily, quiz)}
    sent = site.lily.post(quiz, data=data)
    assert sent.status_code == 303
    result = site.lily.get(sent.headers["Location"])
    site.app.config["WTF_CSRF_ENABLED"] = True  # an expired token: the answers come back
    refilled = site.lily.post(quiz, data={**data, "csrf_token": "expired"})
    assert (result.status_code, refilled.status_code) == (200, 400)
    for response in [result, refilled]:
        html = response.get_data(as_text=True)
        assert "&lt;b onmouseover=alert(1)&gt;" in html and ESCAPED_SCRIPT in html
        assert _live_html(html) == []


@pytest.mark.parametrize(
    ("method", "url", "data", "status"),
    [
        ("get", "{first}/handout.pdf?paper=" + SCRIPT, None, 400),
        ("get", "/m/" + SCRIPT, None, 404),
        ("post", "/sign-in", {"username": '"><b onmouseover=alert(1)>', "password": "x"}, 400),
    ],
    ids=["paper-choice-error", "not-found-path", "sign-in-username-typed-back"],
)
def test_input_reflected_in_a_page_is_escaped(client, method, url, data, status):
    response = getattr(client, method)(url.format(first=_first_module(client)), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert _live_html(html) == [] and SCRIPT not in html


@pytest.mark.parametrize(
    ("who", "path", "data"),
    [
        ("guest", "/sign-in", {"username": "rose\x00", "password": PASSWORD}),
        ("ana", "/group/join", {"code": "{code}\x00"}),
        ("lily", "/m/{first}/share/1", {"body": "Figs\x00and more"}),
        ("fatima", "/f/", {"course": "{course}", "name": "Group\x00", "language": "en"}),
    ],
    ids=["sign-in-username", "join-code", "shared-answer", "cohort-name"],
)
def test_nul_byte_in_a_form_is_a_form_error_not_a_crash(site, who, path, data):
    client = site.app.test_client() if who == "guest" else getattr(site, who)
    names = {"code": site.code, "first": site.first, "course": site.course}
    form = {key: value.format(**names) for key, value in data.items()}
    before = snapshot(site.app)
    response = client.post(path.format(**names), data=form)
    assert response.status_code == 400
    assert snapshot(site.app) == before
