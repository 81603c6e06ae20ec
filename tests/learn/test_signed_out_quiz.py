"""A quiz sent after the trainee was signed out (idle phone) keeps its answers and asks again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from academy.db import db
from academy.models import UserSession, utcnow
from tests.conftest import PASSWORD
from tests.learn.test_attempts import RIGHT, _attempts, _first_module, _ticket


def _idle(app) -> None:
    """Sixteen minutes pass without a request: the server ends the session."""
    with app.app_context():
        db.session.execute(
            update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=16))
        )
        db.session.commit()


def _opened_then_idle(app, trainee) -> tuple[str, dict]:
    """The trainee opens the quiz, answers, and puts the phone down too long before sending."""
    quiz_url = _first_module(trainee) + "/q"
    form = {"ticket": _ticket(trainee, quiz_url), **RIGHT}
    _idle(app)
    return quiz_url, form


def test_answers_sent_after_being_signed_out_come_back_filled_in(app, trainee):
    quiz_url, form = _opened_then_idle(app, trainee)
    response = trainee.post(quiz_url, data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "You were signed out to keep your account safe, so your answers are not saved" in page
    assert 'name="q1" value="1" checked' in page and 'value="red"' in page
    assert f'name="ticket" value="{form["ticket"]}"' in page  # the same form, so still one
    assert 'name="password" type="password"' in page
    assert "Your result" not in page  # not marked as a guest's, which would lose it
    assert _attempts(app) == []


def test_signing_in_from_the_quiz_saves_the_answers_once(app, trainee):
    quiz_url, form = _opened_then_idle(app, trainee)
    trainee.post(quiz_url, data=form)
    again = {**form, "username": "rose", "password": PASSWORD}
    response = trainee.post(quiz_url, data=again)
    assert response.status_code == 303 and "/r/" in response.headers["Location"]
    assert "Your result: 100%" in trainee.get(response.headers["Location"]).get_data(as_text=True)
    assert trainee.get("/account").status_code == 200  # and signed in again
    assert trainee.post(quiz_url, data=again).headers["Location"] == response.headers["Location"]
    assert len(_attempts(app)) == 1


def test_a_wrong_password_on_the_quiz_keeps_the_answers_and_saves_nothing(app, trainee):
    quiz_url, form = _opened_then_idle(app, trainee)
    response = trainee.post(quiz_url, data={**form, "username": "rose", "password": "wrong one"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "That username and password do not match" in page and 'value="red"' in page
    assert _attempts(app) == []
    assert trainee.get("/account").status_code == 302


def test_guessing_passwords_through_the_quiz_counts_with_sign_in(app, trainee):
    quiz_url, form = _opened_then_idle(app, trainee)
    guesser = app.test_client()
    for attempt in range(3):
        guess = guesser.post("/sign-in", data={"username": "rose", "password": f"guess {attempt}"})
        assert guess.status_code == 400
    for attempt in range(2):
        data = {**form, "username": "rose", "password": f"quiz guess {attempt}"}
        assert trainee.post(quiz_url, data=data).status_code == 400
    # Five wrong passwords for "rose", wherever typed: the next try waits.
    data = {**form, "username": "rose", "password": PASSWORD}
    assert trainee.post(quiz_url, data=data).status_code == 429
    assert _attempts(app) == []
