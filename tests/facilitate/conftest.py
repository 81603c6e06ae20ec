import re

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def ids(client):
    """The demo course's public id and its modules' public ids."""
    course = re.search(r'href="/c/([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    html = client.get(f"/c/{course}").get_data(as_text=True)
    return course, re.findall(r'href="/m/([^"/]+)"', html)


@pytest.fixture
def make_cohort(ids):
    """Start a cohort as `facilitator`; returns its public id and join code."""

    def make(facilitator, name="Tuesday group", language="en"):
        course, _modules = ids
        response = facilitator.post(
            "/f/", data={"course": course, "name": name, "language": language}
        )
        assert response.status_code == 303, response.get_data(as_text=True)
        public_id = response.headers["Location"].rsplit("/", 1)[1]
        page = facilitator.get(f"/f/g/{public_id}").get_data(as_text=True)
        code = re.search(r"Code to join: <strong>([A-Z0-9-]+)</strong>", page).group(1)
        return public_id, code

    return make


@pytest.fixture
def member(app, sign_up):
    """A new trainee client that has joined the cohort with `code`."""

    def make(name, code):
        client = app.test_client()
        sign_up(client, name, PASSWORD)
        response = client.post("/group/join", data={"code": code})
        assert response.status_code == 303, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def two_cohorts(app, facilitator, make_cohort, make_user_on, member):
    cohort, code = make_cohort(facilitator)
    omar = make_user_on(app, "omar", "facilitator")
    other_cohort, other_code = make_cohort(omar, name="Thursday group")
    return {
        "rose": member("rose", code),
        "lily": member("lily", code),
        "ana": member("ana", other_code),
        "cohort": cohort,
        "facilitator": facilitator,
    }
