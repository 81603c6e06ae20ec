"""A facilitator and two trainees in Chromium, JavaScript off: a cohort from start to dashboard."""

import re
import shutil

import pytest

from academy import create_app
from academy.accounts import operations
from academy.db import db
from tests.browser.conftest import serve
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

PASSWORD = "river stones 42"


def _make_facilitator(folder):
    app = create_app(
        {"SECRET_KEY": "browser", "ACADEMY_DATABASE_URL": f"sqlite:///{folder}/academy.sqlite3"}
    )
    with app.app_context():
        operations.create_account(db.session, "fatima", PASSWORD, "facilitator")
        db.session.commit()


def _sign_in(page, site, name):
    page.goto(site + "/sign-in")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _sign_up(page, site, name):
    page.goto(site + "/join")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Make my account").click()


def test_a_cohort_from_code_to_dashboard_and_shared_answers(tmp_path, browser):
    courses = tmp_path / "courses"
    shutil.copytree(FIXTURES / "good", courses)
    contexts = [
        browser.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False)
        for _ in range(3)
    ]
    facilitator, rose, lily = (context.new_page() for context in contexts)
    try:
        with serve(tmp_path, ACADEMY_COURSES_DIR=str(courses)) as site:
            _make_facilitator(tmp_path)
            _sign_in(facilitator, site, "fatima")
            facilitator.get_by_role("link", name="Groups").click()
            facilitator.get_by_label("Name of the group").fill("Tuesday group")
            facilitator.get_by_role("button", name="Start the group").click()
            assert facilitator.locator("h1").inner_text() == "Tuesday group"
            code = facilitator.locator(".join-code strong").inner_text()
            assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)

            for trainee, name in [(rose, "rose"), (lily, "lily")]:
                _sign_up(trainee, site, name)
                trainee.get_by_role("link", name="Demo course").click()
                trainee.get_by_role(
                    "link", name="Join a group with a code from your facilitator"
                ).click()
                trainee.get_by_label("Group code").fill(code.lower())
                trainee.get_by_role("button", name="Join the group").click()
                assert trainee.get_by_text("Your group: Tuesday group, with fatima.").is_visible()
                trainee.get_by_role("link", name="First steps").click()
                trainee.get_by_label("Your answer (plain text; your group will see it)").fill(
                    f"{name} likes figs"
                )
                trainee.get_by_role("button", name="Share with my group").click()

            # each sees the other's answer under the activity
            rose.reload()
            assert rose.get_by_text("lily likes figs").is_visible()
            assert lily.get_by_text("rose likes figs").is_visible()

            # rose passes the quiz; the facilitator's grid shows it
            rose.get_by_role("link", name="Test what you learned: take the quiz").click()
            rose.get_by_label("Apples").first.check()
            rose.locator('input[name="q2"][value="0"]').check()
            rose.locator('input[name="q2"][value="1"]').check()
            rose.locator('input[name="q3"][value="0"]').check()
            rose.locator('input[name="q4"]').fill("red")
            rose.get_by_role("button", name="Check my answers").click()
            assert rose.locator("h1").inner_text() == "Your result: 100%"

            facilitator.reload()
            row = facilitator.locator("table.grid tbody tr", has_text="rose")
            assert row.locator("td").first.inner_text() == "✓"
            other = facilitator.locator("table.grid tbody tr", has_text="lily")
            assert other.locator("td").first.inner_text() == "…"
            # the grid scrolls sideways inside its box on a phone: the page itself does not
            width = facilitator.evaluate("document.documentElement.scrollWidth")
            assert width <= 360
    finally:
        for context in contexts:
            context.close()
