"""Offline reading in Chromium: opt-in, visited and saved lessons with no signal, quiz answers
sent once when the connection returns, and nothing left after sign-out or the quick exit.

"No signal" is the server itself stopped (every request from the phone, the service worker's
included, fails as it would in a dead zone), with the browser context set offline too.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select
from werkzeug.serving import make_server

from academy import create_app
from academy.accounts.operations import create_account
from academy.cli import sync_courses
from academy.db import db
from academy.migrate import upgrade
from academy.models import QuizAttempt, UserSession
from tests.browser.conftest import answer
from tests.conftest import FIXTURES, PASSWORD

pytestmark = pytest.mark.browser

RIGHT = {"q1": ["1"], "q2": ["0", "1"], "q3": ["0"], "q4": "Rouge"}


class Site:
    """The demo course served on a fixed local port that can go dark and come back."""

    def __init__(self, folder):
        self.app = create_app(
            {
                "SECRET_KEY": "offline reading",
                "ACADEMY_COURSES_DIR": str(FIXTURES / "good"),
                "ACADEMY_DATABASE_URL": f"sqlite:///{folder}/academy.sqlite3",
                "ACADEMY_EXIT_URL": "about:blank",
            }
        )
        with self.app.app_context():
            upgrade(db.engine)
            sync_courses()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._run()

    def _run(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def go_dark(self, page):
        """No signal: the server stops answering and the browser says it is offline."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
        page.context.set_offline(True)

    def come_back(self, page):
        """The connection returns, on the same address."""
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self._run()
        page.context.set_offline(False)

    def attempts(self) -> int:
        """Quiz attempts stored for anyone."""
        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(QuizAttempt))

    def close(self):
        """Stop serving, if still serving."""
        self.server.shutdown()
        self.server.server_close()
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path)
    yield site
    site.close()


@pytest.fixture
def phone(browser):
    """A phone with JavaScript on (a service worker needs it)."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def turn_on(page, site):
    """Open the offline reading page and turn it on; wait until its basic pages are kept."""
    page.goto(site.url + "/offline")
    page.get_by_role("button", name="Turn on offline reading").click()
    page.locator("#on-state").wait_for()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    for path in page.locator("#offline").get_attribute("data-basics").split():
        wait_kept(page, site.url + path)
    page.wait_for_function(  # and the stylesheet they use
        """() => caches.open('academy-pages').then(c => c.keys())
            .then(keys => keys.some(r => /academy-[0-9a-f]+[.]css$/.test(r.url)))""",
        polling=200,
        timeout=30_000,
    )


def wait_kept(page, url):
    """Wait until the service worker keeps a copy of `url`."""
    page.wait_for_function(
        "url => caches.open('academy-pages').then(c => c.match(url)).then(Boolean)",
        arg=url,
        polling=200,
        timeout=30_000,
    )


def kept(page) -> list[str]:
    """Every address the phone keeps a copy of, in every cache of this site."""
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
            }
            return urls;
        }"""
    )


def workers(page) -> int:
    """Service workers registered for this site."""
    return page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)")


def open_lesson(page, site, title="First steps"):
    """From the catalogue to a lesson, by taps."""
    page.goto(site.url + "/")
    page.get_by_role("link", name="Demo course").click()
    page.get_by_role("link", name=title).click()
    page.locator("h1", has_text=title).wait_for()
    return page.url


def sign_up(page, site, name="rose"):
    """Make an account through the forms; the phone stays signed in."""
    page.goto(site.url + "/join")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Make my account").click()
    page.get_by_role("link", name="My progress").wait_for()


def answer_with_no_signal(page, site, shown="Waiting to send: Quiz: First steps."):
    """Open the first quiz, lose the signal, and send it; the phone shows it kept."""
    open_lesson(page, site)
    page.get_by_role("link", name="Test what you learned: take the quiz").click()
    page.locator("h1", has_text="Quiz: First steps").wait_for()
    # Its title on the offline page comes from the kept copy (else it says "A quiz").
    wait_kept(page, page.url)
    site.go_dark(page)
    answer(page, RIGHT)
    page.get_by_text(shown).wait_for()


def test_nothing_is_kept_until_the_trainee_turns_it_on(site, phone):
    lesson = open_lesson(phone, site)
    phone.goto(site.url + "/offline")
    assert phone.get_by_text("Offline reading is off.").is_visible()
    assert workers(phone) == 0
    assert kept(phone) == []
    site.go_dark(phone)
    with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED"):
        phone.goto(lesson)


def test_a_visited_lesson_opens_with_no_signal(site, phone):
    turn_on(phone, site)
    lesson = open_lesson(phone, site)
    wait_kept(phone, lesson)
    site.go_dark(phone)
    phone.goto(lesson)
    assert phone.locator("h1").inner_text() == "First steps"
    assert phone.locator("a.exit").is_visible()  # the quick exit is there offline too
    # A lesson never opened is not there: the offline page says so and lists what is.
    phone.goto(site.url + "/m/nothere")
    phone.get_by_text("that page is not kept on this phone").wait_for()
    phone.locator("#kept-list").get_by_text("First steps").wait_for()


def test_a_saved_course_opens_entirely_with_no_signal_and_takes_the_size_it_said(site, phone):
    turn_on(phone, site)
    course = phone.locator("[data-urls]").first
    button = course.get_by_role("button")
    said_kb = int(button.inner_text().split("about ")[1].split(" KB")[0])
    paths = course.get_attribute("data-urls").split()
    before = phone.evaluate(SIZE)
    button.click()
    course.get_by_text("Saved on this phone.").wait_for(timeout=30_000)
    added_kb = (phone.evaluate(SIZE) - before) / 1024
    assert abs(added_kb - said_kb) <= max(2, said_kb * 0.1), (added_kb, said_kb)
    site.go_dark(phone)
    for path in paths:
        phone.goto(site.url + path)
        assert not phone.locator("#missing").is_visible(), path
        assert phone.locator("h1").inner_text()
    phone.goto(site.url + "/m/" + paths[-1].split("/")[2])
    # The lesson's image was kept with it.
    assert phone.locator("main img").evaluate("img => img.complete && img.naturalWidth > 0")


# Bytes the phone keeps for this site, every copy counted.
SIZE = """async () => {
    let total = 0;
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            total += (await (await cache.match(request)).blob()).size;
        }
    }
    return total;
}"""


def test_a_signed_in_trainee_keeps_only_the_guest_copy(site, phone):
    sign_up(phone, site)
    turn_on(phone, site)
    lesson = open_lesson(phone, site)
    phone.get_by_role("link", name="My progress").wait_for()
    wait_kept(phone, lesson)
    html = phone.evaluate(
        "url => caches.open('academy-pages').then(c => c.match(url)).then(r => r.text())",
        lesson,
    )
    assert "First steps" in html
    assert "My progress" not in html and "rose" not in html
    assert "Sign in" in html


def test_a_quiz_sent_with_no_signal_waits_and_is_stored_once_when_the_signal_returns(site, phone):
    sign_up(phone, site)
    turn_on(phone, site)
    answer_with_no_signal(phone, site)
    assert phone.url.endswith("/offline#waiting")
    assert site.attempts() == 0
    site.come_back(phone)
    # The page still on screen sends them when the connection returns, and says so.
    phone.get_by_text("Sent: Quiz: First steps.").wait_for(timeout=45_000)
    assert site.attempts() == 1
    phone.get_by_role("link", name="See your result").click()
    phone.get_by_text("100%").first.wait_for()
    # Asking the worker to send again (or another page opened) sends nothing twice.
    phone.evaluate("navigator.serviceWorker.controller.postMessage({type: 'flush'})")
    phone.goto(site.url + "/")
    phone.goto(site.url + "/offline")
    phone.locator("#kept-list li").first.wait_for()
    assert site.attempts() == 1
    # The note was shown once: the phone keeps no list of the quizzes taken.
    assert not phone.locator("#waiting").is_visible()
    assert [url for url in kept(phone) if "/offline/queue/" in url] == []


def test_answers_given_on_a_kept_copy_wait_to_be_opened_then_are_stored_once(site, phone):
    sign_up(phone, site)
    turn_on(phone, site)
    open_lesson(phone, site)
    phone.get_by_role("link", name="Test what you learned: take the quiz").click()
    wait_kept(phone, phone.url)
    quiz = phone.url
    site.go_dark(phone)
    phone.goto(quiz)  # the kept guest copy: no ticket, so nothing says whose answers these are
    answer(phone, RIGHT)
    phone.get_by_text("Not sent yet: Quiz: First steps.").wait_for()
    site.come_back(phone)
    phone.goto(site.url + "/")
    phone.goto(site.url + "/offline")
    phone.get_by_text("sign in first").wait_for()
    assert site.attempts() == 0  # not sent by itself: whoever uses the phone now sends them
    phone.get_by_role("link", name="Open it to send it").click()
    phone.get_by_text("They are filled in below: check them and send again.").wait_for()
    assert phone.locator('input[name="q4"]').input_value() == "Rouge"
    phone.get_by_role("button", name="Check my answers").click()
    phone.get_by_text("100%").first.wait_for()
    assert site.attempts() == 1
    phone.goto(site.url + "/offline")
    phone.locator("#kept-list li").first.wait_for()
    assert not phone.locator("#waiting").is_visible()  # nothing is left waiting


def test_answers_left_by_one_trainee_are_never_stored_as_the_next_ones(site, phone):
    sign_up(phone, site)
    turn_on(phone, site)
    answer_with_no_signal(phone, site)  # with the first trainee's own ticket
    with site.app.app_context():  # the phone sat idle: the server ended the session
        db.session.execute(delete(UserSession))
        db.session.commit()
    site.come_back(phone)
    with site.app.app_context():
        create_account(db.session, "bella", PASSWORD)
        db.session.commit()
    phone.context.clear_cookies()
    phone.goto(site.url + "/sign-in")  # someone else, on the same phone
    phone.get_by_label("Username").fill("bella")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="My progress").wait_for()
    phone.goto(site.url + "/offline")
    phone.get_by_text("Not sent yet: Quiz: First steps.").wait_for(timeout=30_000)
    assert site.attempts() == 0
    # What the server answered (a page of the new trainee's) was not kept.
    assert [url for url in kept(phone) if "/offline/" in url and "/queue/" not in url] == []
    assert all("/r/" not in url and "progress" not in url for url in kept(phone))


def test_sign_out_leaves_nothing_on_the_phone(site, phone):
    sign_up(phone, site)
    turn_on(phone, site)
    phone.locator("[data-urls] button").first.click()
    phone.get_by_text("Saved on this phone.").wait_for(timeout=30_000)
    assert len(kept(phone)) > 5
    phone.get_by_role("link", name="Account").click()
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_load_state()
    assert kept(phone) == []
    assert workers(phone) == 0


def test_the_quick_exit_from_a_page_the_worker_does_not_control_removes_it_all(site, phone):
    turn_on(phone, site)
    lesson = open_lesson(phone, site)
    wait_kept(phone, lesson)
    cdp = phone.context.new_cdp_session(phone)
    with phone.expect_navigation():
        cdp.send("Page.reload", {"ignoreCache": True})  # a hard reload bypasses the worker
    assert not phone.evaluate("navigator.serviceWorker.controller")
    phone.get_by_role("link", name="Leave this site now").click()
    phone.wait_for_url("about:blank")
    later = phone.context.new_page()
    later.goto(site.url + "/safety")
    later.wait_for_function("navigator.serviceWorker.getRegistrations().then(r => !r.length)")
    assert kept(later) == []


def test_the_quick_exit_with_no_signal_removes_what_offline_reading_kept(site, phone):
    turn_on(phone, site)
    lesson = open_lesson(phone, site)
    wait_kept(phone, lesson)
    site.go_dark(phone)
    phone.goto(lesson)
    phone.get_by_role("link", name="Leave this site now").click()
    phone.wait_for_url("about:blank")
    site.come_back(phone)
    # A new tab: in this one the exit's note sends every page of the site away again.
    later = phone.context.new_page()
    later.goto(site.url + "/safety")
    assert later.locator("h1").is_visible()
    assert workers(later) == 0
    assert kept(later) == []


def test_remove_everything_turns_it_off(site, phone):
    turn_on(phone, site)
    phone.get_by_role("button", name="Remove everything").click()
    phone.get_by_text("Offline reading is off.").wait_for()
    assert kept(phone) == []
    assert workers(phone) == 0


def test_a_guest_answering_with_no_signal_gets_the_marks_when_the_signal_returns(site, phone):
    turn_on(phone, site)
    answer_with_no_signal(phone, site, shown="Not sent yet: Quiz: First steps.")
    site.come_back(phone)
    phone.goto(site.url + "/offline")
    phone.get_by_role("link", name="Open it to send it").click()
    phone.get_by_role("button", name="Check my answers").click()
    phone.get_by_text("100%").first.wait_for()
    assert site.attempts() == 0  # a guest's answers are marked, never stored


def test_answers_of_a_trainee_signed_out_meanwhile_wait_for_them_to_sign_in(site, phone):
    sign_up(phone, site)
    turn_on(phone, site)
    answer_with_no_signal(phone, site)
    with site.app.app_context():  # the phone sat idle: the server ended the session
        db.session.execute(delete(UserSession))
        db.session.commit()
    site.come_back(phone)
    phone.goto(site.url + "/offline")
    phone.get_by_text("Not sent yet: Quiz: First steps.").wait_for(timeout=30_000)
    assert site.attempts() == 0
    phone.get_by_role("link", name="Open it to send it").click()
    phone.get_by_text("You were signed out to keep your account safe").wait_for()
    assert phone.locator('input[name="q4"]').input_value() == "Rouge"
    phone.get_by_label("Username").fill("rose")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Check my answers").click()
    phone.get_by_text("100%").first.wait_for()
    assert site.attempts() == 1
    phone.goto(site.url + "/offline")
    phone.locator("#kept-list li").first.wait_for()  # the lists are drawn
    assert not phone.get_by_text("Not sent yet").is_visible()  # done with, so no longer listed
