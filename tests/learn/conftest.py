"""Fixtures for the trainee pages: the real courses, synced."""

import pytest

from academy.cli import sync_courses
from tests.conftest import REPO_ROOT


@pytest.fixture
def real_client(make_app):
    """A guest's client on an app serving the repository's own courses."""
    app = make_app(REPO_ROOT / "courses")
    with app.app_context():
        sync_courses()
    return app.test_client()
