"""The safety page: linked from every page and from sign-up, in plain words."""

import re


def test_every_page_and_the_sign_up_link_to_the_safety_page(client):
    for url in ["/", "/join", "/sign-in", "/m/nothere"]:
        html = client.get(url).get_data(as_text=True)
        assert 'href="/safety">How to stay safe</a>' in html, url


def test_the_safety_page_says_what_the_quick_exit_does_and_cannot_do(client):
    response = client.get("/safety")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r"<title>Academy · Staying safe</title>", html)
    for point in [
        "It cannot erase your browser history.",
        "private window",
        "Do not tick “Keep me signed in on this phone”.",
        "No email, no phone number, no real name.",
        "download all of it, or delete all of it",
    ]:
        assert point in html, point


def test_the_safety_page_is_translated(client):
    client.get("/lang/fr")
    html = client.get("/safety").get_data(as_text=True)
    assert "It cannot erase your browser history." not in html
