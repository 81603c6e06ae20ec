"""A live Academy server and Debian's Chromium driven by Playwright (never a downloaded one)."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from academy import create_app
from academy.cli import sync_courses
from academy.db import db
from academy.migrate import upgrade
from tests.conftest import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def serve(folder: Path, **config):
    """Serve the real courses from a throwaway SQLite database on a free local port."""
    app = create_app(
        {
            "SECRET_KEY": "browser",
            "ACADEMY_COURSES_DIR": str(REPO_ROOT / "courses"),
            "ACADEMY_DATABASE_URL": f"sqlite:///{folder}/academy.sqlite3",
            # A real exit goes to another site; this machine reaches none, so about:blank.
            "ACADEMY_EXIT_URL": "about:blank",
            **config,
        }
    )
    with app.app_context():
        upgrade(db.engine)
        sync_courses()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The site as trainees get it."""
    with serve(tmp_path_factory.mktemp("live")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless; a missing browser fails in CI and skips elsewhere."""
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("ACADEMY_TEST_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A phone-sized page with JavaScript off, recording every request it makes."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, java_script_enabled=False, is_mobile=True
    )
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


def answer(page, answers: dict) -> None:
    """Fill in a quiz form ({name: [option values] or typed text}) and check the answers."""
    for name, value in answers.items():
        if isinstance(value, str):
            page.fill(f'input[name="{name}"]', value)
        else:
            for option in value:
                page.check(f'input[name="{name}"][value="{option}"]')
    page.get_by_role("button", name="Check my answers").click()
