"""With the data saver on, a lesson's picture costs nothing until the trainee taps for it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serve
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

TAP = "Picture: A small square (tap to load it)"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The demo fixture course, whose second lesson has a picture."""
    with serve(tmp_path_factory.mktemp("saver"), ACADEMY_COURSES_DIR=str(FIXTURES / "good")) as url:
        yield url


def open_picture_lesson(page, server: str) -> None:
    """Go from the catalogue to the demo lesson with a picture, as a trainee would."""
    page.goto(server + "/")
    page.locator(".card h2 a").first.click()
    page.locator("ol.modules > li > a").nth(1).click()
    assert page.locator("h1").inner_text() == "Second steps"


def media_requests(page) -> list[str]:
    """Every image the page has asked the server for so far."""
    return [url for url in page.requested if "/media/" in url]


def test_the_footer_switch_leaves_the_picture_until_it_is_tapped(demo_server, phone):
    phone.goto(demo_server + "/")
    assert phone.get_by_text("Data saver: off").is_visible()
    phone.get_by_role("link", name="Turn on", exact=True).click()  # a plain link: JavaScript is off
    expect(phone.get_by_text("Data saver: on")).to_be_visible()
    assert phone.url == demo_server + "/"  # back where the switch was

    open_picture_lesson(phone, demo_server)
    assert phone.locator("img").count() == 0
    assert media_requests(phone) == []
    with phone.expect_response(lambda response: "/media/" in response.url) as picture:
        phone.get_by_role("link", name=TAP).click()
    assert picture.value.ok and picture.value.header_value("content-type") == "image/png"

    phone.go_back()
    phone.get_by_role("link", name="Turn off", exact=True).click()
    expect(phone.get_by_text("Data saver: off")).to_be_visible()
    assert phone.locator("h1").inner_text() == "Second steps"  # back on the same lesson
    expect(phone.locator("img")).to_have_count(1)


def test_a_phone_asking_to_save_data_gets_no_picture_until_it_asks(demo_server, browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 640},
        java_script_enabled=False,
        is_mobile=True,
        extra_http_headers={"Save-Data": "on"},
    )
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        open_picture_lesson(page, demo_server)
        assert [url for url in requested if "/media/" in url] == []
        page.get_by_role("link", name=TAP).click()
        page.wait_for_url("**/media/*.png")
        page.wait_for_load_state()
        assert page.evaluate("document.images.length") == 1  # the picture, shown on its own
        assert page.evaluate("document.images[0].naturalWidth") > 0
        assert [url for url in requested if "/media/" in url] != []
    finally:
        context.close()
