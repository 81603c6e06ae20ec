"""Forged cross-site requests, and the headers that keep every kind of response private."""

import re

import pytest

from tests.attack.conftest import csrf_token, snapshot
from tests.conftest import PASSWORD
from tests.learn.test_attempts import RIGHT, _ticket

HTTPS = "https://academy.example.org"

# What a page on another site could make a trainee's browser send: (who, path, form).
FORGED = {
    "sign-up": ("guest", "/join", {"username": "mallory", "password": PASSWORD}),
    "sign-in": ("guest", "/sign-in", {"username": "rose", "password": PASSWORD}),
    "quiz-submit": ("rose", "/m/{first}/q", RIGHT),
    "cohort-create": ("fatima", "/f/", {"course": "{course}", "name": "Forged", "language": "en"}),
    "cohort-join": ("ana", "/group/join", {"code": "{code}"}),
    "share-answer": ("lily", "/m/{first}/share/1", {"body": "Planted by another site"}),
    "role-change": ("root", "/admin/roles", {"username": "lily", "role": "admin"}),
    "account-export": ("rose", "/account/export", {"export-password": PASSWORD}),
    "account-delete": ("rose", "/account/delete", {"delete-password": PASSWORD}),
}


def _names(site) -> dict[str, str]:
    """The ids a forged form can name."""
    return {
        "first": site.first,
        "course": site.course,
        "code": site.code,
        "answer": site.answer,
        "cohort": site.cohort,
        "member": str(site.rose_member),
    }


@pytest.mark.parametrize("action", list(FORGED))
def test_forged_post_without_a_csrf_token_is_refused_and_writes_nothing(site, action):
    who, path, data = FORGED[action]
    client = site.app.test_client() if who == "guest" else getattr(site, who)
    names = _names(site)
    form = {k: v.format(**names) if isinstance(v, str) else v for k, v in data.items()}
    if action == "quiz-submit":
        # Even a valid quiz ticket (the page's one-time form id) does not replace the token.
        form["ticket"] = _ticket(client, path.format(**names))
    site.app.config["WTF_CSRF_ENABLED"] = True  # on only now: the fixtures post without tokens
    before = snapshot(site.app)
    response = client.post(path.format(**names), data=form)
    assert response.status_code == 400
    assert snapshot(site.app) == before
    body = response.get_data(as_text=True)
    assert "quiz_attempts" not in body and "Figs from the market" not in body  # no export
    if who != "guest":
        assert client.get("/account").status_code == 200  # still signed in, nothing changed


def test_attackers_own_valid_csrf_token_does_not_work_in_the_victims_browser(site):
    site.app.config["WTF_CSRF_ENABLED"] = True
    attackers_token = csrf_token(site.ana, "/account")
    before = snapshot(site.app)
    data = {"delete-password": PASSWORD, "csrf_token": attackers_token}
    response = site.rose.post("/account/delete", data=data)
    assert response.status_code == 400
    assert snapshot(site.app) == before


def test_https_post_sent_from_another_site_is_refused_even_with_a_token(site):
    site.app.config["WTF_CSRF_ENABLED"] = True
    own_site = "https://localhost"  # where the fixtures' clients hold their cookies
    page = site.lily.get(f"/m/{site.first}", base_url=own_site).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    url = f"/m/{site.first}/share/1"
    data = {"body": "Sent from evil.example", "csrf_token": token}
    before = snapshot(site.app)
    for referer in [{"Referer": "https://evil.example/page"}, {}]:
        response = site.lily.post(url, data=data, base_url=own_site, headers=referer)
        assert response.status_code == 400
    assert snapshot(site.app) == before
    # The token itself was good: from the site's own page, the same form goes through.
    own = site.lily.post(url, data=data, base_url=own_site, headers={"Referer": own_site + "/"})
    assert own.status_code == 303


def _too_many(client):
    """A 429 from guessing one account's password."""
    for attempt in range(5):
        client.post("/sign-in", data={"username": "rose", "password": f"guess {attempt}"})
    return client.post("/sign-in", data={"username": "rose", "password": "guess again"})


def _first_module(client) -> str:
    """The first module's path."""
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    return re.findall(r'href="(/m/[^"]+)"', client.get(course).get_data(as_text=True))[0]


def _image(client) -> str:
    """The address of the lesson image of the second module."""
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    second = re.findall(r'href="(/m/[^"]+)"', client.get(course).get_data(as_text=True))[1]
    src = re.search(r'<img src="([^"]+)"', client.get(second).get_data(as_text=True)).group(1)
    return "/" + src.removeprefix("../")


def _stylesheet(client) -> str:
    """The address of the stylesheet."""
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)


RESPONSES = {
    "html-page": (200, lambda c: c.get("/")),
    "not-found": (404, lambda c: c.get("/no-such-page")),
    "method-not-allowed": (405, lambda c: c.get("/sign-out")),
    "bad-request": (400, lambda c: c.get(_first_module(c) + "/handout.pdf?paper=napkin")),
    "too-many-requests": (429, _too_many),
    "request-too-large": (413, lambda c: c.post("/sign-in", data={"password": "x" * 100_000})),
    "stylesheet": (200, lambda c: c.get(_stylesheet(c))),
    "media-file": (200, lambda c: c.get(_image(c))),
    "pdf": (200, lambda c: c.get(_first_module(c) + "/handout.pdf")),
    "quick-exit": (303, lambda c: c.get("/exit")),
}


@pytest.mark.parametrize("kind", list(RESPONSES))
def test_every_kind_of_response_carries_the_security_headers(client, kind):
    status, fetch = RESPONSES[kind]
    response = fetch(client)
    assert response.status_code == status
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored


def test_hsts_is_sent_over_https_only(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    for path, status in [("/", 200), ("/no-such-page", 404)]:
        response = client.get(path, base_url=HTTPS)
        assert response.status_code == status
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_request_for_an_untrusted_host_is_refused(make_app):
    app = make_app(ACADEMY_TRUSTED_HOSTS=["learn.example.org"])
    before = snapshot(app)
    response = app.test_client().post(
        "/join",
        data={"username": "mallory", "password": PASSWORD},
        base_url="https://evil.example",
    )
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "Bad request"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert snapshot(app) == before


def test_forwarded_host_is_ignored_when_no_proxy_is_trusted(make_app):
    app = make_app(ACADEMY_TRUSTED_HOSTS=["learn.example.org"])
    client = app.test_client()
    headers = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
    response = client.post(
        "/join",
        data={"username": "rose", "password": PASSWORD},
        base_url="https://learn.example.org",
        headers=headers,
    )
    assert response.status_code == 303
    assert "evil.example" not in response.headers["Location"]
    page = client.get("/account", base_url="https://learn.example.org", headers=headers)
    assert page.status_code == 200 and "evil.example" not in page.get_data(as_text=True)
