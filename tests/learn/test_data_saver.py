"""The data saver: remembered, on by the browser's Save-Data, images left out until tapped."""

import re

import pytest
from sqlalchemy import select

from academy.db import db
from academy.learn.images import without_images
from academy.models import Module
from bench.weights import trainee_pages
from tests.conftest import FIXTURES

SAVE_DATA = {"Save-Data": "on"}
SQUARE = (FIXTURES / "good/demo/02-second/media/square.png").read_bytes()
TAP_LINK = re.compile(r'<a class="image-off" href="([^"]+)">Picture: A small square \(tap to')


@pytest.fixture
def lesson(app) -> str:
    """The address of the demo lesson with a picture."""
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.key == "second-steps"))
        return f"/m/{module.public_id}"


def page(client, url: str, **headers) -> str:
    """A page's HTML as this client gets it."""
    return client.get(url, headers=headers).get_data(as_text=True)


def test_off_by_default_the_lesson_shows_its_picture(client, lesson):
    html = page(client, lesson)
    assert '<img src="../media/' in html and 'alt="A small square"' in html
    assert "image-off" not in html
    assert 'Data saver: off · <a href="/saver/on?next=' in html


def test_save_data_turns_it_on_and_the_picture_is_one_tap_away(client, lesson):
    html = page(client, lesson, **SAVE_DATA)
    assert "<img" not in html and "A small square" in html
    assert 'Data saver: on · <a href="/saver/off?next=' in html
    (address,) = TAP_LINK.findall(html)
    picture = client.get(address)
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert picture.get_data() == SQUARE


def test_the_switch_remembers_the_choice_for_a_year(client, lesson):
    response = client.get("/saver/on", query_string={"next": lesson})
    assert response.status_code == 303 and response.headers["Location"] == lesson
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("saver=on;")
    assert "Max-Age=31536000" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP here; see the HTTPS test
    assert "<img" not in page(client, lesson)
    client.get("/saver/off")
    assert "<img" in page(client, lesson)


def test_the_cookie_is_secure_over_https(client):
    response = client.get("/saver/on", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize(("choice", "shown"), [("off", True), ("on", False)])
def test_the_remembered_choice_wins_over_the_browser_and_the_address(client, lesson, choice, shown):
    client.get(f"/saver/{choice}")
    for url, headers in [(lesson, SAVE_DATA), (lesson, {}), (f"{lesson}?data-saver=1", {})]:
        assert ("<img" in page(client, url, **headers)) is shown, (url, headers)


def test_the_address_asks_for_it_without_a_choice(client, lesson):
    assert "<img" not in page(client, f"{lesson}?data-saver=1")


def test_guests_in_turn_never_get_each_others_page(app, client, lesson):
    saving, other = app.test_client(), app.test_client()
    saving.get("/saver/on")
    for _ in range(2):  # each asks twice, so that each would meet the other's cached page
        assert "<img" in page(client, lesson)
        assert "<img" not in page(client, lesson, **SAVE_DATA)
        assert "<img" not in page(saving, lesson)
        assert "<img" in page(other, lesson)


def test_a_signed_in_trainee_gets_the_saver_too(trainee, lesson):
    assert "<img" in page(trainee, lesson)
    trainee.get("/saver/on")
    html = page(trainee, lesson)
    assert "<img" not in html and TAP_LINK.search(html)


def test_pages_that_depend_on_it_say_so_to_caches(client, lesson):
    for url in (lesson, "/", f"{lesson}/offline.html"):
        vary = client.get(url).headers["Vary"]
        assert "Save-Data" in vary and "Cookie" in vary, url
    # A picture is the same for everyone: a cache may keep one copy for all.
    address = TAP_LINK.search(page(client, lesson, **SAVE_DATA))[1]
    assert "Save-Data" not in client.get(address).headers.get("Vary", "")


def test_a_revisit_is_answered_with_the_page_of_the_current_choice(client, lesson):
    first = client.get(lesson)
    client.get("/saver/on")
    again = client.get(lesson, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and "<img" not in again.get_data(as_text=True)


def test_no_trainee_page_loads_an_image_with_the_saver_on(client):
    client.get("/saver/on")
    for name, url in trainee_pages(client):
        assert "<img" not in page(client, url), name


def test_the_saved_lesson_file_follows_the_remembered_choice(client, lesson):
    client.get("/saver/on")
    html = page(client, f"{lesson}/offline.html")
    assert "data:image" not in html and "[A small square]" in html
    client.get("/saver/off")
    assert "data:image" in page(client, f"{lesson}/offline.html", **SAVE_DATA)


def test_an_unknown_choice_is_not_found(client):
    response = client.get("/saver/maybe")
    assert response.status_code == 404 and "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/\t/x", ""]
)
def test_the_switch_never_sends_the_reader_to_another_site(client, target):
    response = client.get("/saver/on", query_string={"next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_descriptions_are_escaped_once_and_linked_pictures_keep_one_link(app):
    html = (
        '<p><img src="../media/ab12.png" alt="Tom &amp; &quot;Jerry&quot; &lt;3"></p>'
        '<p><a href="https://example.org" rel="noreferrer noopener">'
        '<img src="../media/cd34.png" alt="A map"></a> and <img src="../media/ef56.gif" alt="B"></p>'
    )
    with app.test_request_context():
        changed = str(without_images(html))
    assert "<img" not in changed
    assert (
        '<a class="image-off" href="/media/ab12.png">'
        "Picture: Tom &amp; &quot;Jerry&quot; &lt;3 (tap to load it)</a>"
    ) in changed
    # A picture inside a link cannot hold a second link: its description stands in the first.
    assert (
        '<a href="https://example.org" rel="noreferrer noopener">'
        '<span class="image-off">A map</span></a>'
    ) in changed
    assert '<a class="image-off" href="/media/ef56.gif">Picture: B (tap to load it)</a>' in changed
