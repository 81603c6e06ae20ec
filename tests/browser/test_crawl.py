"""Chromium crawls every page as each role: not one request goes to another host."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from academy import create_app
from academy.accounts import operations
from academy.db import db
from tests.browser.conftest import serve

pytestmark = pytest.mark.browser

PASSWORD = "river stones 42"
ROLES = {"guest": None, "trainee": "rose", "facilitator": "fatima", "admin": "ada"}
# Links the crawl must not follow: they end the session it is crawling with.
LEAVING = re.compile(r"/(exit|sign-out)$")
# Files a browser downloads rather than shows: fetched and checked, not opened as pages.
DOWNLOADS = re.compile(r"(\.(pdf|csv)|/offline\.html)$")
PAGE_LIMIT = 150


def _accounts(folder, names: dict[str, str | None]) -> None:
    """Create an account for each role named (in the served site's database)."""
    app = create_app(
        {
            "SECRET_KEY": "browser",
            "ACADEMY_DATABASE_URL": f"sqlite:///{folder}/academy.sqlite3",
        }
    )
    with app.app_context():
        for role, name in names.items():
            if name:
                operations.create_account(db.session, name, PASSWORD, role)
        db.session.commit()
        db.engine.dispose()


def _sign_in(page, site: str, name: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto(site + "/sign-in")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _crawl(page, site: str) -> tuple[list[str], list[str]]:
    """Visit every same-site page reachable by links; return the pages and every request."""
    seen, queue, visited = {site + "/"}, [site + "/"], []
    while queue and len(visited) < PAGE_LIMIT:
        url = queue.pop(0)
        if DOWNLOADS.search(urlsplit(url).path):
            response = page.request.get(url)
            assert response.status == 200, url
            visited.append(url)
            continue
        response = page.goto(url)
        assert response is not None and response.status < 500, url
        visited.append(url)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urldefrag(urljoin(url, href))[0]
            if link.startswith(site) and link not in seen and not LEAVING.search(link):
                seen.add(link)
                queue.append(link)
    return visited, page.requested


@pytest.fixture(scope="module")
def lived_in_site(tmp_path_factory):
    """The real courses, served, with an account for each role."""
    folder = tmp_path_factory.mktemp("crawl")
    with serve(folder) as site:
        _accounts(folder, ROLES)
        yield site, folder


@pytest.mark.parametrize("role", ROLES)
def test_every_page_as_every_role_makes_no_request_to_another_host(browser, lived_in_site, role):
    site, _folder = lived_in_site
    # JavaScript on: a script is what would fetch from elsewhere, so let any script run.
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    try:
        if ROLES[role]:
            _sign_in(page, site, ROLES[role])
        visited, requested = _crawl(page, site)
    finally:
        context.close()
    elsewhere = [url for url in requested if not url.startswith(site)]
    assert elsewhere == []
    # The crawl really went everywhere this role may go.
    assert sum("/m/" in url for url in visited) >= 19, role
    if role in ("facilitator", "admin"):
        assert any("/f/m/" in url for url in visited) and any(".pdf" in url for url in visited)
    if role != "guest":
        assert any(url.endswith("/account") for url in visited)


@pytest.fixture
def everyday_site():
    """A stand-in for the everyday website the operator chose as the exit (weather, news)."""

    class Weather(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<title>Weather</title><h1>Sunny</h1>")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Weather)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_quick_exit_without_javascript_ends_the_session(browser, tmp_path, everyday_site):
    with serve(tmp_path, ACADEMY_EXIT_URL=everyday_site) as site:
        _accounts(tmp_path, {"trainee": "leaver"})
        context = browser.new_context(
            viewport={"width": 360, "height": 640}, java_script_enabled=False, is_mobile=True
        )
        page = context.new_page()
        try:
            _sign_in(page, site, "leaver")
            page.goto(site + "/progress")
            assert page.locator("h1").inner_text() == "My progress"
            page.get_by_role("link", name="Leave this site now").click()
            page.wait_for_url(everyday_site)
            assert page.locator("h1").inner_text() == "Sunny"
            # The same browser, coming back: signed out on the server, nothing of theirs shown.
            page.goto(site + "/progress")
            assert "/sign-in" in page.url
        finally:
            context.close()
