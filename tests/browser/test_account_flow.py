"""The whole trainee journey in Chromium on a phone with JavaScript off."""

import json
import shutil
from pathlib import Path

import pytest

from academy import create_app
from academy.cli import sync_courses
from tests.browser.conftest import serve
from tests.conftest import FIXTURES
from tests.test_sync import bump

pytestmark = pytest.mark.browser

PASSWORD = "river stones 42"


def _publish_update(folder, courses):
    """Change the first module, as a merged pull request would, and sync it."""
    bump(courses / "demo" / "01-first", "1.0.0", "1.1.0", summary="Added pears")
    app = create_app(
        {
            "SECRET_KEY": "browser",
            "ACADEMY_COURSES_DIR": str(courses),
            "ACADEMY_DATABASE_URL": f"sqlite:///{folder}/academy.sqlite3",
        }
    )
    with app.app_context():
        sync_courses()


def test_sign_up_learn_pass_see_progress_and_updates_export_and_delete(tmp_path, phone):
    courses = tmp_path / "courses"
    shutil.copytree(FIXTURES / "good", courses)
    with serve(tmp_path, ACADEMY_COURSES_DIR=str(courses)) as site:
        # sign up: a username and a password, nothing else
        phone.goto(site + "/")
        phone.get_by_role("link", name="Sign in").click()
        phone.get_by_role("link", name="Make an account").click()
        assert phone.locator("form input:not([type=hidden])").count() == 2
        phone.get_by_label("Username").fill("rose")
        phone.get_by_label("Password").fill(PASSWORD)
        phone.get_by_role("button", name="Make my account").click()
        assert phone.locator("h1").inner_text() == "Courses"
        assert phone.get_by_text("0 of 2 done").is_visible()

        # read a module and pass its quiz
        phone.get_by_role("link", name="Demo course").click()
        phone.get_by_role("link", name="First steps").click()
        phone.get_by_role("link", name="Test what you learned: take the quiz").click()
        phone.get_by_label("Apples").first.check()
        phone.locator('input[name="q2"][value="0"]').check()
        phone.locator('input[name="q2"][value="1"]').check()
        phone.locator('input[name="q3"][value="0"]').check()
        phone.locator('input[name="q4"]').fill("Red")
        phone.get_by_role("button", name="Check my answers").click()
        assert phone.locator("h1").inner_text() == "Your result: 100%"
        assert phone.get_by_text("Saved to your progress.").is_visible()
        phone.reload()  # the result has its own address: reloading does not post again
        assert phone.locator("h1").inner_text() == "Your result: 100%"

        # progress
        phone.get_by_role("link", name="My progress").click()
        assert phone.locator("h1").inner_text() == "My progress"
        assert phone.get_by_text("1 of 2 done").is_visible()
        assert phone.get_by_text("Done", exact=True).is_visible()

        # the module is updated: the trainee is told what changed
        _publish_update(tmp_path, courses)
        phone.get_by_role("link", name="First steps").click()
        assert phone.get_by_role("heading", name="Updated since you finished it").is_visible()
        assert phone.locator("section.updated").get_by_text("Added pears").is_visible()
        assert phone.get_by_role("link", name="Take the quiz for the new version").is_visible()

        # download their data
        phone.get_by_role("link", name="Account").click()
        phone.locator("#export-password").fill(PASSWORD)
        with phone.expect_download() as download:
            phone.get_by_role("button", name="Download").click()
        assert download.value.suggested_filename == "my-data.json"
        data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert data["account"]["username"] == "rose"
        assert data["quiz_attempts"][0]["percent"] == 100

        # and delete the account
        phone.locator("#delete-password").fill(PASSWORD)
        phone.get_by_role("button", name="Delete everything").click()
        assert phone.locator("h1").inner_text() == "Your account is deleted"
        phone.goto(site + "/sign-in")
        phone.get_by_label("Username").fill("rose")
        phone.get_by_label("Password").fill(PASSWORD)
        phone.get_by_role("button", name="Sign in").click()
        assert phone.get_by_text("That username and password do not match").is_visible()
        assert all(url.startswith(site) for url in phone.requested), phone.requested
