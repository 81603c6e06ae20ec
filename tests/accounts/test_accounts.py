import json
import re

import pytest
from argon2 import extract_parameters
from argon2.low_level import Type
from sqlalchemy import func, select

from academy.db import db
from academy.models import ModuleProgress, QuizAttempt, User, UserSession
from tests.conftest import PASSWORD


def _inputs(html):
    return set(re.findall(r'<input[^>]* name="([^"]+)"', html))


def _user(app, name="rose"):
    with app.app_context():
        return db.session.scalar(select(User).where(User.username_key == name))


def test_sign_up_asks_only_for_a_username_and_a_password_and_says_what_is_kept(client):
    html = client.get("/join").get_data(as_text=True)
    assert _inputs(html) - {"csrf_token"} == {"username", "password"}
    for word in ["email", "phone", "real name"]:
        assert f'name="{word}"' not in html
    assert "We keep only the username you choose" in html


def test_a_new_account_is_signed_in_and_its_password_is_an_argon2id_hash(app, client, sign_up):
    response = sign_up(client, "Rose")
    assert response.headers["Location"] == "/"
    assert "Rose" in client.get("/account").get_data(as_text=True)
    stored = _user(app).password_hash
    assert PASSWORD not in stored
    used = extract_parameters(stored)
    assert used.type is Type.ID
    # OWASP's minimum: 19 MiB, 2 iterations, 1 degree of parallelism.
    assert used.memory_cost >= 19 * 1024 and used.time_cost >= 2 and used.parallelism >= 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "at least 8 characters"),
        ("password1", "easy to guess"),
        ("iloveyou", "easy to guess"),
        ("rosebud22", "cannot be your username"),
        ("x" * 201, "at most 200 characters"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(app, client, password, message):
    response = client.post("/join", data={"username": "rosebud22", "password": password})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _user(app, "rosebud22") is None


def test_no_composition_rules_a_long_plain_phrase_is_fine(client):
    response = client.post("/join", data={"username": "lily", "password": "blue rivers flow"})
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "Choose a username."),
        ("     ", "Choose a username."),
        ("ab", "at least 3 characters"),
        ("a" * 31, "at most 30 characters"),
        ("rose petal", "no spaces"),
        ("<rose>", "no spaces"),
        ("rоse", "one alphabet"),  # the "о" is Cyrillic: it would pose as "rose"
    ],
)
def test_bad_usernames_get_a_clear_message_and_keep_what_was_typed(app, client, username, message):
    response = client.post("/join", data={"username": username, "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    if username.strip() and "<" not in username:
        assert f'value="{username}"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize("twin", ["ROSE", "Rose", "ｒｏｓｅ", " rose "])
def test_look_alike_usernames_are_the_same_account(app, client, sign_up, twin):
    sign_up(app.test_client(), "rose")
    response = client.post("/join", data={"username": twin, "password": PASSWORD})
    assert response.status_code == 400
    assert "Someone already uses this username" in response.get_data(as_text=True)
    # ...and signing in with the look-alike reaches the one account
    response = client.post("/sign-in", data={"username": twin, "password": PASSWORD})
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("first", "look_alike"),
    [("josie", "јоѕіе"), ("јоѕіе", "josie"), ("rose", "r0se"), ("lily", "ⅼily")],
)
def test_a_name_that_only_looks_like_one_in_use_is_refused(app, client, sign_up, first, look_alike):
    sign_up(app.test_client(), first)
    response = client.post("/join", data={"username": look_alike, "password": PASSWORD})
    assert response.status_code == 400
    assert "Someone already uses this username" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_names_in_other_alphabets_that_look_like_nobody_are_fine(app, client, sign_up):
    for name in ["rose", "мама", "роза", "Мария_22"]:
        sign_up(app.test_client(), name)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 4


def test_usernames_in_other_scripts_work(client, sign_up):
    sign_up(client, "Мария_22")
    assert "Мария_22" in client.get("/account").get_data(as_text=True)


def test_sign_in_and_out(app, client, sign_up):
    sign_up(app.test_client(), "rose")
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'name="remember"' not in page  # no "keep me signed in" unless the operator allows it
    response = client.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    assert response.status_code == 303
    assert client.get("/account").status_code == 200
    assert not any(c.key == "remember_token" for c in client._cookies.values())
    response = client.post("/sign-out")
    assert (
        response.status_code == 303 and response.headers["Clear-Site-Data"] == '"cache", "storage"'
    )
    assert client.get("/account").status_code == 302


def test_wrong_username_or_password_get_the_same_message(app, client, sign_up):
    sign_up(app.test_client(), "rose")
    wrong_password = client.post("/sign-in", data={"username": "rose", "password": "nope nope"})
    no_account = client.post("/sign-in", data={"username": "nobody", "password": PASSWORD})
    assert wrong_password.status_code == no_account.status_code == 400
    message = "That username and password do not match"
    assert message in wrong_password.get_data(as_text=True)
    assert message in no_account.get_data(as_text=True)


def test_no_lasting_cookie_by_default_even_when_asked(app, client, sign_up):
    sign_up(app.test_client(), "rose")
    data = {"username": "rose", "password": PASSWORD, "remember": "y"}
    response = client.post("/sign-in", data=data)
    assert response.status_code == 303
    cookies = response.headers.getlist("Set-Cookie")
    assert not any(c.startswith("remember_token=") for c in cookies)
    assert not any("Expires=" in c for c in cookies)  # every cookie dies with the browser


def test_remember_me_where_allowed_sets_a_lasting_cookie_only_when_asked(make_app, sign_up):
    app = make_app(ACADEMY_REMEMBER_DAYS=30)
    client = app.test_client()
    sign_up(app.test_client(), "rose")
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'name="remember" value="y">' in page  # offered, not ticked
    data = {"username": "rose", "password": PASSWORD, "remember": "y"}
    response = client.post("/sign-in", data=data)
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "Expires=" in remember and "HttpOnly" in remember


def test_signing_in_starts_a_new_session(make_app, sign_up):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()

    def token_on(url):
        page = client.get(url).get_data(as_text=True)
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    token = token_on("/join")
    client.post("/join", data={"username": "rose", "password": PASSWORD, "csrf_token": token})
    client.post("/sign-out", data={"csrf_token": token})
    before_token = token_on("/sign-in")
    before = client.get_cookie("session").value
    data = {"username": "rose", "password": PASSWORD, "csrf_token": before_token}
    assert client.post("/sign-in", data=data).status_code == 303
    after = client.get_cookie("session").value
    assert before != after
    # a new CSRF token too: a token seen before signing in is worth nothing after
    assert client.post("/sign-out", data={"csrf_token": before_token}).status_code == 400


def test_sign_out_ends_the_session_on_the_server_so_a_copied_cookie_stops_working(
    app, client, sign_up
):
    sign_up(client, "rose")
    stolen = client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/account").status_code == 200  # the copy works while the session lives
    client.post("/sign-out")
    assert thief.get("/account").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(UserSession.id))) == 0


def test_quick_exit_also_ends_the_session_on_the_server(app, client, sign_up):
    sign_up(client, "rose")
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    client.post("/exit")
    assert copy.get("/account").status_code == 302


def test_signed_in_pages_are_never_stored_by_the_browser(trainee):
    for url in ["/", "/account", "/progress"]:
        assert "no-store" in trainee.get(url).headers["Cache-Control"], url


def test_reading_needs_no_account(client):
    html = client.get("/").get_data(as_text=True)
    course = re.search(r'href="(/c/[^"]+)"', html).group(1)
    assert client.get(course).status_code == 200
    assert "Sign in" in html


def test_the_language_a_trainee_chooses_follows_their_account(app, client, sign_up):
    sign_up(client, "rose")
    client.get("/lang/fr?next=/account")
    other_phone = app.test_client()
    other_phone.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    assert 'lang="fr"' in other_phone.get("/account").get_data(as_text=True)[:100]


def test_export_gives_everything_stored_after_the_password(app, trainee):
    wrong = trainee.post("/account/export", data={"export-password": "not mine at all"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.get_data(True)
    response = trainee.post("/account/export", data={"export-password": PASSWORD})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.get_data())
    assert data["account"]["username"] == "rose"
    assert set(data) == {"account", "progress", "quiz_attempts", "groups", "shared_answers"}
    assert "password_hash" not in response.get_data(as_text=True)


def _rows_of(app, user_id):
    with app.app_context():
        return {
            model.__name__: db.session.scalar(
                select(func.count()).select_from(model).where(model.user_id == user_id)
            )
            for model in (QuizAttempt, ModuleProgress, UserSession)
        }


def test_delete_needs_the_password_and_then_removes_every_row(app, trainee):
    course = re.search(r'href="(/c/[^"]+)"', trainee.get("/").get_data(True)).group(1)
    module = re.findall(r'href="(/m/[^"]+)"', trainee.get(course).get_data(True))[0]
    quiz = trainee.get(module + "/q").get_data(as_text=True)
    ticket = re.search(r'name="ticket" value="([^"]+)"', quiz).group(1)
    trainee.post(module + "/q", data={"ticket": ticket, "q1": "1"})
    user_id = _user(app).id
    assert _rows_of(app, user_id) == {"QuizAttempt": 1, "ModuleProgress": 1, "UserSession": 1}

    wrong = trainee.post("/account/delete", data={"delete-password": "guessing again"})
    assert wrong.status_code == 400 and _user(app) is not None

    response = trainee.post("/account/delete", data={"delete-password": PASSWORD})
    assert response.status_code == 200
    assert "Your account is deleted" in response.get_data(as_text=True)
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert _user(app) is None
    assert _rows_of(app, user_id) == {"QuizAttempt": 0, "ModuleProgress": 0, "UserSession": 0}
    assert trainee.get("/account").status_code == 302
    # the name is free again: nothing of the old account is kept
    assert trainee.post("/join", data={"username": "rose", "password": PASSWORD}).status_code == 303
