"""A saved lesson opens from file:// with the network off: it reads, and its quiz marks itself."""

import shutil

import pytest

from academy.content.quiz import Option, Question, score
from tests.browser.conftest import answer, serve
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

# The demo quiz (tests/fixtures/good/demo/01-first/quiz.md): right answers, pass mark 60.
RIGHT = {"m1q1": ["1"], "m1q2": ["0", "1"], "m1q3": ["0"], "m1q4": "  Rouge "}
# Wrong, half right (partial credit), unanswered, wrong: 12.5%, which Python rounds to 12.
WRONG = {"m1q1": ["0"], "m1q2": ["0"], "m1q3": [], "m1q4": "blue"}

# A {short} question whose accepted answers need every rule of normalise_answer().
ACCEPTED = ["Straße", "ΟΔΟΣ", "naïve café", "l'avocat", "Işık", "хорошо", "ｆｕｌｌ"]
TYPED = [
    *("STRASSE", "strasse", "straße", "Strasse", "οδος", "Οδοσ", "ΟΔΟΣ", "odos"),
    *("NAIVE   CAFE", " naive café ", "naïve\u00a0café", "naivecafe", "L’AVOCAT", "l`avocat"),
    *("l avocat", "ISIK", "işık", "isık", "Isik", "ХОРОШО", "хорошо ", "xорошо", "full", "FULL"),
]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo fixture course: a quiz with every kind of question, an image, a French text."""
    with serve(tmp_path_factory.mktemp("demo"), ACADEMY_COURSES_DIR=str(FIXTURES / "good")) as url:
        yield url


@pytest.fixture
def offline(browser):
    """A phone with the network off and JavaScript on, recording every request it tries."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, offline=True
    )
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


def save_lesson(page, server: str, tmp_path, course: int = 0, lesson: int = 0):
    """Open a lesson on the site, tap its save link, and keep the download; returns its path."""
    page.goto(server + "/")
    page.locator(".card h2 a").nth(course).click()
    page.locator("ol.modules > li > a").nth(lesson).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Save this lesson as one file").click()
    assert download.value.suggested_filename == f"lesson-{lesson + 1}.html"
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def verdicts(page) -> list[str]:
    """right, partly or wrong for each question, as the file marked them."""
    classes = page.eval_on_selector_all("fieldset", "all => all.map(f => f.className)")
    return [name.removeprefix("question ") for name in classes]


def test_a_real_lesson_opens_from_a_file_with_no_network_and_fetches_nothing(
    live_server, phone, offline, tmp_path
):
    path = save_lesson(phone, live_server, tmp_path)
    assert path.stat().st_size <= 51_200
    offline.goto(path.as_uri())
    assert offline.locator("h1").inner_text() == "How laws treat sex work"
    assert offline.get_by_text("decriminalisation", exact=False).first.is_visible()
    assert offline.title() == "Academy"
    assert offline.get_by_role("button", name="Check my answers").is_visible()
    width = offline.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert offline.requested == [path.as_uri()]


def test_right_answers_show_the_pass_score(demo_server, phone, offline, tmp_path):
    offline.goto(save_lesson(phone, demo_server, tmp_path).as_uri())
    answer(offline, RIGHT)
    assert offline.locator(".score").inner_text() == "Your result: 100% Well done: you passed."
    assert verdicts(offline) == ["right"] * 4
    assert offline.locator("fieldset .verdict").first.inner_text() == "✓ Right"
    assert all(not url.startswith("http") for url in offline.requested), offline.requested


def test_wrong_answers_show_which_are_wrong_with_the_feedback(
    demo_server, phone, offline, tmp_path
):
    offline.goto(save_lesson(phone, demo_server, tmp_path).as_uri())
    answer(offline, WRONG)
    assert offline.locator(".score").inner_text() == (
        "Your result: 12% Not passed yet: you need 60%. Read the feedback and try again."
    )
    assert verdicts(offline) == ["wrong", "partly", "wrong", "wrong"]
    first = offline.locator("fieldset").first
    assert first.locator(".verdict").inner_text() == "✗ Not right"
    assert first.get_by_text("Pears are only in the facilitator's note.").is_visible()
    assert first.get_by_text("Right answer:").is_visible()
    # Answered again, right this time: the verdicts are replaced, not added to.
    answer(offline, RIGHT)
    assert verdicts(offline) == ["right"] * 4
    assert offline.locator("fieldset .verdict").count() == 4


def test_with_javascript_off_the_questions_and_the_answers_are_there(demo_server, phone, tmp_path):
    path = save_lesson(phone, demo_server, tmp_path)
    phone.goto(path.as_uri())
    assert phone.locator("fieldset legend").count() == 4
    assert phone.get_by_text("This practice quiz is not saved or sent anywhere.").is_visible()
    assert not phone.get_by_role("button", name="Check my answers").is_visible()
    assert not phone.get_by_text("Accepted: red, rouge").is_visible()
    phone.get_by_text("Answer key").click()
    assert phone.get_by_text("Accepted: red, rouge").is_visible()
    assert phone.get_by_text("Carrots are a vegetable.").is_visible()


def test_the_lessons_picture_is_inside_the_file(demo_server, phone, offline, tmp_path):
    path = save_lesson(phone, demo_server, tmp_path, lesson=1)
    offline.goto(path.as_uri())
    picture = offline.get_by_role("img", name="A small square")
    assert offline.evaluate("img => img.naturalWidth", picture.element_handle()) > 0
    assert offline.requested == [path.as_uri()]


def test_typed_answers_are_compared_exactly_as_the_server_compares_them(
    browser, tmp_path, tmp_path_factory
):
    courses = tmp_path / "courses"
    shutil.copytree(FIXTURES / "good", courses)
    accepted = "\n".join(f"- = {text}" for text in ACCEPTED)
    quiz = f"## Type one of the words {{short}}\n{accepted}\n\n> Any of them.\n"
    (courses / "demo/01-first/quiz.md").write_text(quiz, encoding="utf-8")
    question = Question(1, "short", "", 1, options=[Option(t, t, True, 1) for t in ACCEPTED])
    expected = ["right" if score(question, typed) else "wrong" for typed in TYPED]
    assert "right" in expected and "wrong" in expected
    context = browser.new_context(offline=False)
    page = context.new_page()
    try:
        with serve(tmp_path_factory.mktemp("typed"), ACADEMY_COURSES_DIR=str(courses)) as url:
            path = save_lesson(page, url, tmp_path)
        page.goto(path.as_uri())
        marked = []
        for typed in TYPED:
            answer(page, {"m1q1": typed})
            marked.append(verdicts(page)[0])
    finally:
        context.close()
    assert dict(zip(TYPED, marked, strict=True)) == dict(zip(TYPED, expected, strict=True))
