"""Progress: opened, passed (best score, on which version), updated since finished."""

import re

from academy.cli import sync_courses
from tests.learn.test_attempts import RIGHT, _ticket
from tests.test_sync import bump


def _links(client):
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    modules = re.findall(r'href="(/m/[^"]+)"', client.get(course).get_data(as_text=True))
    return course, modules


def _take(client, module, data):
    quiz_url = module + "/q"
    response = client.post(quiz_url, data={"ticket": _ticket(client, quiz_url), **data})
    assert response.status_code == 303
    return response


def test_course_page_shows_each_modules_state_and_completion(trainee):
    course, (first, second) = _links(trainee)
    html = trainee.get(course).get_data(as_text=True)
    assert "Started" not in html and "Done" not in html
    trainee.get(first)
    assert "Started" in trainee.get(course).get_data(as_text=True)
    _take(trainee, first, {"q1": "0"})  # failed: still only started
    html = trainee.get(course).get_data(as_text=True)
    assert "Started" in html and "Done" not in html
    _take(trainee, first, RIGHT)
    html = trainee.get(course).get_data(as_text=True)
    assert html.count("Done") == 1 and "You finished this course" not in html
    trainee.get(second)  # no quiz: done once read
    html = trainee.get(course).get_data(as_text=True)
    assert html.count(">Done<") == 2
    assert "You finished this course: every quiz is passed." in html
    assert "Course complete" in trainee.get("/").get_data(as_text=True)


def test_progress_page_lists_best_scores(trainee):
    assert "You have not opened any lesson yet." in trainee.get("/progress").get_data(True)
    _, (first, _second) = _links(trainee)
    trainee.get(first)
    _take(trainee, first, {"q1": "1", "q3": "0"})  # 50%
    _take(trainee, first, {"q1": "1"})  # 25%: the best stays
    html = trainee.get("/progress").get_data(as_text=True)
    assert "best 50%" in html and "0 of 2 done" in html


def test_guests_see_no_progress_and_are_asked_to_sign_in(client):
    _, (first, _second) = _links(client)
    assert "Started" not in client.get(first).get_data(as_text=True)
    assert client.get("/progress").status_code == 302


def test_an_updated_module_says_what_changed_and_offers_the_new_quiz(
    make_app, fixture_repo, sign_up
):
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
    client = app.test_client()
    sign_up(client)
    course, (first, _second) = _links(client)
    old_form = _ticket(client, first + "/q")
    _take(client, first, RIGHT)
    assert "You passed this quiz. Your best result: 100%." in client.get(first).get_data(True)

    bump(courses / "demo" / "01-first", "1.0.0", "1.1.0", summary="Pears are fruit too")
    bump(courses / "demo" / "01-first", "1.1.0", "1.2.0", summary="Clearer words")
    with app.app_context():
        sync_courses()

    html = client.get(first).get_data(as_text=True)
    assert "Updated since you finished it" in html
    assert "You passed version 1.0.0. This is version 1.2.0." in html
    assert "Pears are fruit too" in html and "Clearer words" in html
    section = html[html.index("Updated since you finished it") :]
    assert "First version" not in section[: section.index("</section>")]
    assert "Take the quiz for the new version" in html
    assert "Updated since you finished it" in client.get(course).get_data(as_text=True)
    # the old pass still counts for the course, and a form opened before the update is
    # marked against the version it showed
    response = client.post(first + "/q", data={"ticket": old_form, **RIGHT})
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You took this quiz on version 1.0.0 of the lesson." in result
    assert "Updated since you finished it" in client.get(first).get_data(True)
    # passing the new quiz brings the module up to date
    _take(client, first, RIGHT)
    html = client.get(first).get_data(as_text=True)
    assert "Updated since you finished it" not in html
    assert "You passed this quiz." in html


def test_a_patch_release_does_not_ask_the_trainee_to_look_again(make_app, fixture_repo, sign_up):
    courses = fixture_repo()
    app = make_app(courses)
    with app.app_context():
        sync_courses()
    client = app.test_client()
    sign_up(client)
    _, (first, _second) = _links(client)
    _take(client, first, RIGHT)
    bump(courses / "demo" / "01-first", "1.0.0", "1.0.1", summary="Fixed a typo")
    with app.app_context():
        sync_courses()
    html = client.get(first).get_data(as_text=True)
    assert "Updated since you finished it" not in html
    assert "You passed this quiz." in html


def test_export_holds_progress_and_attempts(trainee):
    _, (first, _second) = _links(trainee)
    trainee.get(first)
    _take(trainee, first, RIGHT)
    data = trainee.post("/account/export", data={"export-password": "river stones 42"}).get_json()
    [progress] = data["progress"]
    assert progress["module"] == "first-steps" and progress["passed_version"] == "1.0.0"
    [attempt] = data["quiz_attempts"]
    assert attempt["version"] == "1.0.0" and attempt["percent"] == 100
    assert attempt["answers"] == [[1], [0, 1], [0], "red"]
