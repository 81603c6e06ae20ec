import pytest

pytestmark = pytest.mark.browser


def test_trainee_reads_a_module_on_a_phone_with_javascript_off(live_server, phone):
    phone.goto(live_server + "/")
    assert phone.locator("h1").inner_text() == "Courses"
    phone.get_by_role("link", name="Legal literacy").click()
    assert phone.locator("h1").inner_text() == "Legal literacy"
    phone.locator("ol.modules > li > a").first.click()
    assert phone.locator("h1").inner_text() == "How laws treat sex work"
    assert phone.get_by_text("decriminalisation", exact=False).first.is_visible()
    assert phone.title() == "Academy · Lesson 1"
    phone.get_by_role("link", name="Where sex work has been decriminalised").click()
    assert phone.title() == "Academy · Lesson 2"
    assert all(url.startswith(live_server) for url in phone.requested), phone.requested


def test_quick_exit_is_the_first_thing_and_always_on_screen(live_server, phone):
    phone.goto(live_server + "/")
    phone.get_by_role("link", name="Legal literacy").click()
    phone.locator("ol.modules > li > a").first.click()
    exit_link = phone.get_by_role("link", name="Leave this site now")
    phone.mouse.wheel(0, 3000)
    box = exit_link.bounding_box()
    assert box is not None and box["y"] == 0 and box["height"] >= 44
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.className") == "exit"


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru"])
def test_pages_fit_a_320px_screen_without_sideways_scrolling(live_server, browser, language):
    context = browser.new_context(viewport={"width": 320, "height": 568})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/lang/{language}")
        courses = page.locator(".card h2 a")
        checked = 0
        for course in range(courses.count()):
            page.goto(live_server + "/")
            page.locator(".card h2 a").nth(course).click()
            lessons = [
                page.locator("ol.modules > li > a").nth(i).get_attribute("href")
                for i in range(page.locator("ol.modules > li > a").count())
            ]
            for href in lessons:
                for url in (href, href + "/q"):
                    page.goto(live_server + url)
                    width = page.evaluate("document.documentElement.scrollWidth")
                    assert width <= 320, f"{url} in {language} is {width}px wide"
                    checked += 1
        assert checked >= 20  # every lesson and quiz of every course
        assert page.evaluate("document.documentElement.lang") == language
    finally:
        context.close()


def test_trainee_takes_a_quiz_with_javascript_off(live_server, phone):
    phone.goto(live_server + "/")
    phone.get_by_role("link", name="Legal literacy").click()
    phone.locator("ol.modules > li > a").first.click()
    phone.get_by_role("link", name="Test what you learned: take the quiz").click()
    assert phone.title() == "Academy · Quiz 1"
    questions = phone.locator("fieldset.question")
    assert questions.count() >= 6
    phone.locator('input[name="q1"]').first.check()
    phone.get_by_role("button", name="Check my answers").click()
    assert phone.locator("h1").inner_text().startswith("Your result:")
    assert phone.get_by_role("link", name="Take the quiz again").is_visible()
    assert all(url.startswith(live_server) for url in phone.requested)


@pytest.fixture
def phone_with_js(browser):
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
    yield context.new_page()
    context.close()


def open_lesson(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Legal literacy").click()
    page.locator("ol.modules > li > a").first.click()
    assert page.locator("h1").inner_text() == "How laws treat sex work"


def test_quick_exit_with_javascript_leaves_and_back_does_not_return(live_server, phone_with_js):
    page = phone_with_js
    open_lesson(page, live_server)
    page.get_by_role("link", name="Leave this site now").click()
    page.wait_for_url("about:blank")
    page.go_back()  # the lesson was replaced; Back reaches the course page, which leaves too
    page.wait_for_url("about:blank")
    assert "Legal literacy" not in page.content()


def test_shift_three_times_leaves(live_server, phone_with_js):
    page = phone_with_js
    open_lesson(page, live_server)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url("about:blank")


def test_right_to_left_interface_lays_out_mirrored(tmp_path, browser):
    from tests.browser.conftest import serve

    with serve(tmp_path, ACADEMY_LANGUAGES=["en", "ar"]) as url:
        context = browser.new_context(
            viewport={"width": 360, "height": 640}, java_script_enabled=False
        )
        page = context.new_page()
        try:
            page.goto(url + "/lang/ar?next=/")
            assert page.locator("html").get_attribute("dir") == "rtl"
            page.get_by_role("link", name="Legal literacy").click()
            page.locator("ol.modules > li > a").first.click()
            # The lesson stays English, left to right, inside a right-to-left page.
            assert page.locator("div.lesson").get_attribute("dir") == "ltr"
            notice = page.locator("p.review").first
            right = notice.evaluate("e => getComputedStyle(e).borderRightWidth")
            left = notice.evaluate("e => getComputedStyle(e).borderLeftWidth")
            assert (right, left) == ("4px", "0px")
            page.screenshot(path=str(tmp_path / "rtl.png"))  # for a person to look at
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360
        finally:
            context.close()
