"""Stored quiz attempts: one per form, on the version shown, visible to their owner only."""

import re

import pytest
from sqlalchemy import func, select

from academy.db import db
from academy.models import QuizAttempt
from tests.conftest import PASSWORD

RIGHT = {"q1": "1", "q2": ["0", "1"], "q3": "0", "q4": "red"}


def _first_module(client):
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    return re.findall(r'href="(/m/[^"]+)"', client.get(course).get_data(as_text=True))[0]


def _ticket(client, quiz_url):
    html = client.get(quiz_url).get_data(as_text=True)
    return re.search(r'name="ticket" value="([^"]+)"', html).group(1)


def _attempts(app):
    with app.app_context():
        return db.session.scalars(select(QuizAttempt)).all()


def test_a_guests_quiz_is_marked_and_nothing_is_stored(app, client):
    quiz_url = _first_module(client) + "/q"
    assert "Nothing is saved." in client.get(quiz_url).get_data(as_text=True)
    html = client.post(quiz_url, data=RIGHT).get_data(as_text=True)
    assert "Your result: 100%" in html and "This result is not saved." in html
    assert _attempts(app) == []


def test_a_trainees_attempt_is_stored_on_the_version_it_was_taken_on(app, trainee):
    quiz_url = _first_module(trainee) + "/q"
    page = trainee.get(quiz_url).get_data(as_text=True)
    assert "Nothing is saved." not in page
    for secret in ["Yes, apples", "vegetable", "rouge"]:
        assert secret not in page  # the answer key stays on the server
    response = trainee.post(quiz_url, data={"ticket": _ticket(trainee, quiz_url), **RIGHT})
    assert response.status_code == 303
    result = trainee.get(response.headers["Location"])
    html = result.get_data(as_text=True)
    assert "Your result: 100%" in html and "Saved to your progress." in html
    assert "Yes, apples." in html  # feedback per option on the stored result
    assert "no-store" in result.headers["Cache-Control"]
    [attempt] = _attempts(app)
    with app.app_context():
        attempt = db.session.get(QuizAttempt, attempt.id)
        assert attempt.module_version.version == "1.0.0"
        assert (attempt.percent, attempt.passed, attempt.language) == (100, True, "en")
        assert attempt.answers == [[1], [0, 1], [0], "red"]


def test_submitting_the_same_form_twice_stores_one_attempt(app, trainee):
    quiz_url = _first_module(trainee) + "/q"
    data = {"ticket": _ticket(trainee, quiz_url), **RIGHT}
    first = trainee.post(quiz_url, data=data)
    second = trainee.post(quiz_url, data=data)  # a double tap, or the browser resending
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_attempts(app)) == 1
    # a new rendering of the form is a new attempt (a retake)
    trainee.post(quiz_url, data={"ticket": _ticket(trainee, quiz_url), "q1": "0"})
    assert len(_attempts(app)) == 2


def test_another_trainees_attempt_is_not_found(app, trainee, sign_up):
    quiz_url = _first_module(trainee) + "/q"
    mine = trainee.post(quiz_url, data={"ticket": _ticket(trainee, quiz_url), **RIGHT})
    other = app.test_client()
    sign_up(other, "lily")
    response = other.get(mine.headers["Location"])
    assert response.status_code == 404
    assert "Your result" not in response.get_data(as_text=True)
    assert app.test_client().get(mine.headers["Location"]).status_code == 302  # guest: sign in


def test_a_ticket_from_another_trainee_or_tampered_is_refused(app, trainee, sign_up):
    quiz_url = _first_module(trainee) + "/q"
    mine = _ticket(trainee, quiz_url)
    other = app.test_client()
    sign_up(other, "lily")
    for ticket in [mine, mine[:-3] + "abc", "nonsense"]:
        response = other.post(quiz_url, data={"ticket": ticket, **RIGHT})
        assert response.status_code == 400
        assert "Your answers could not be read" in response.get_data(as_text=True)
    assert _attempts(app) == []


@pytest.mark.parametrize(
    "data",
    [
        {"q1": "2"},  # an option number that exists only in question 2
        {"q7": "0"},  # a question that does not exist
        {"q4": "x" * 301},  # a huge field
    ],
)
def test_tampered_answers_from_a_trainee_are_refused_and_not_stored(app, trainee, data):
    quiz_url = _first_module(trainee) + "/q"
    response = trainee.post(quiz_url, data={"ticket": _ticket(trainee, quiz_url), **data})
    assert response.status_code == 400
    assert _attempts(app) == []


def test_a_request_far_too_large_is_refused(client):
    quiz_url = _first_module(client) + "/q"
    response = client.post(quiz_url, data={"q4": "x" * 100_000})
    assert response.status_code == 413
    assert "That was too much to send" in response.get_data(as_text=True)


def test_a_quiz_for_a_module_that_does_not_exist_is_404(trainee):
    assert trainee.get("/m/zzzzzzzz/q").status_code == 404
    assert trainee.post("/m/zzzzzzzz/q", data=RIGHT).status_code == 404


def test_signing_out_keeps_the_attempt_but_it_is_not_shown_to_the_next_person(app, trainee):
    quiz_url = _first_module(trainee) + "/q"
    result = trainee.post(quiz_url, data={"ticket": _ticket(trainee, quiz_url), **RIGHT})
    trainee.post("/sign-out")
    assert trainee.get(result.headers["Location"]).status_code == 302
    trainee.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    assert trainee.get(result.headers["Location"]).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_answers_sent_after_the_page_expired_come_back_filled_in(make_app, sign_up):
    from academy.cli import sync_courses

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        sync_courses()
    client = app.test_client()
    quiz_url = _first_module(client) + "/q"
    client.get(quiz_url)
    # the security token expired (a page left open, a server restart): answers are not lost
    response = client.post(quiz_url, data={"csrf_token": "expired", **RIGHT})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This page was open for a long time" in html
    assert 'name="q1" value="1" checked' in html
    assert 'name="q2" value="0" checked' in html and 'name="q2" value="1" checked' in html
    assert 'name="q2" value="2">' in html  # what was not chosen stays unticked
    assert 'value="red"' in html
    # one more tap, with the fresh token now in the page, sends them
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    again = client.post(quiz_url, data={"csrf_token": token, **RIGHT})
    assert again.status_code == 200 and "Your result: 100%" in again.get_data(as_text=True)


def test_a_trainees_form_left_open_past_its_ticket_age_is_filled_in_again(
    app, trainee, monkeypatch
):
    from academy.learn import quizzes

    quiz_url = _first_module(trainee) + "/q"
    ticket = _ticket(trainee, quiz_url)
    monkeypatch.setattr(quizzes, "FORM_TICKET_AGE", -1)  # every ticket is now too old
    response = trainee.post(quiz_url, data={"ticket": ticket, **RIGHT})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'name="q1" value="1" checked' in html
    assert _attempts(app) == []
    monkeypatch.setattr(quizzes, "FORM_TICKET_AGE", 7 * 24 * 3600)
    fresh = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    assert trainee.post(quiz_url, data={"ticket": fresh, **RIGHT}).status_code == 303
    assert len(_attempts(app)) == 1
