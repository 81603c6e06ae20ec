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


def test_discreet_mode_is_on_by_default_and_the_operator_can_turn_it_off(make_app):
    import re

    from academy.cli import sync_courses

    titles = {}
    for discreet in (True, False):
        app = make_app(ACADEMY_DISCREET=discreet)
        with app.app_context():
            sync_courses()
        client = app.test_client()
        course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(True)).group(1)
        module = re.findall(r'href="(/m/[^"/]+)"', client.get(course).get_data(True))[0]
        titles[discreet] = [
            re.search(r"<title>(.*?)</title>", client.get(url).get_data(True)).group(1)
            for url in (course, module, module + "/q")
        ]
    assert titles[True] == ["Academy · Course", "Academy · Lesson 1", "Academy · Quiz 1"]
    assert titles[False] == [
        "Academy · Demo course",
        "Academy · First steps",
        "Academy · Quiz: First steps",
    ]
