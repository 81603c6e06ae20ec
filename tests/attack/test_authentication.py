"""Attacks on accounts: guessing, impersonating look-alike names, weak or huge input."""

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from academy.accounts import operations
from academy.db import db
from academy.models import User, UserSession
from tests.attack.conftest import count, snapshot
from tests.conftest import PASSWORD

NO_MATCH = "That username and password do not match"


def _hash_of(app, name: str) -> str:
    """The stored password hash of the account `name`."""
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.username == name))


def test_attacker_cannot_tell_a_wrong_password_from_an_unknown_username(app, client, make_user):
    make_user("rose")
    wrong_password = client.post("/sign-in", data={"username": "rose", "password": "nope nope"})
    no_account = client.post("/sign-in", data={"username": "nobody", "password": PASSWORD})
    assert wrong_password.status_code == no_account.status_code == 400
    # The pages differ only in the username typed back into the form.
    first = wrong_password.get_data(as_text=True).replace("rose", "NAME")
    second = no_account.get_data(as_text=True).replace("nobody", "NAME")
    assert NO_MATCH in first and first == second
    assert count(app, UserSession) == 0


def test_attacker_cannot_time_an_unknown_username_it_costs_a_hash_check(client, monkeypatch):
    checked = []
    real = operations.verify_password

    def spy(stored, password):
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(operations, "verify_password", spy)
    response = client.post("/sign-in", data={"username": "nobody", "password": PASSWORD})
    assert response.status_code == 400 and NO_MATCH in response.get_data(as_text=True)
    # None makes verify_password check a dummy argon2 hash: as slow as a real wrong password.
    assert checked == [None]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("ROSEBUD22 ", "cannot be your username"),
        ("Sunshine", "easy to guess"),
    ],
    ids=["username-in-other-case", "common-password-capitalised"],
)
def test_attacker_cannot_sign_up_with_an_easily_guessed_password(app, client, password, message):
    response = client.post("/join", data={"username": "Rosebud22", "password": password})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, User) == 0


@pytest.mark.parametrize(
    ("owner", "impostor"),
    [
        ("fatima", "f\u0430tima"),  # one Cyrillic "а" among Latin letters
        ("josie", "\u0458\u043e\u0455\u0456\u0435"),  # every letter Cyrillic: "јоѕіе"
    ],
    ids=["mixed-script", "whole-script-confusable"],
)
def test_attacker_cannot_register_a_homoglyph_of_an_existing_username(
    app, client, make_user, owner, impostor
):
    make_user(owner)
    before = snapshot(app)
    response = client.post("/join", data={"username": impostor, "password": PASSWORD})
    assert response.status_code == 400
    assert snapshot(app) == before
    assert client.get("/account").status_code == 302  # not signed in as anyone


@pytest.mark.parametrize(
    ("owner", "twin"),
    [
        ("rose", "ro\u017fe"),  # "ſ", the long s, case-folds to "s"
        ("kate", "\u212aate"),  # "K", the Kelvin sign, is "K" after NFKC
    ],
    ids=["long-s", "kelvin-sign"],
)
def test_attacker_cannot_register_a_case_folded_duplicate(app, client, make_user, owner, twin):
    make_user(owner)
    before = snapshot(app)
    response = client.post("/join", data={"username": twin, "password": "other words 77"})
    assert response.status_code == 400
    assert "Someone already uses this username" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_attacker_sending_huge_sign_up_fields_gets_form_errors_and_nothing_is_written(app, client):
    huge = {"username": "a" * 10_000, "password": "b" * 10_000}
    response = client.post("/join", data=huge)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at most 30 characters" in html and "at most 200 characters" in html
    assert count(app, User) == 0


def test_attacker_sending_huge_sign_in_fields_gets_the_usual_refusal(app, client, make_user):
    make_user("rose")
    before = snapshot(app)
    for data in [
        {"username": "r" * 10_000, "password": "p" * 10_000},
        {"username": "rose", "password": "p" * 10_000},  # long passwords are never hashed
    ]:
        response = client.post("/sign-in", data=data)
        assert response.status_code == 400
        assert NO_MATCH in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_attacker_guessing_a_password_is_stopped_after_five_tries(app, make_user):
    make_user("rose")
    pages = {}
    for name in ["rose", "nobody"]:  # an existing and a missing account behave alike
        guesser = app.test_client()
        for attempt in range(5):
            wrong = guesser.post(
                "/sign-in", data={"username": name, "password": f"guess {attempt}"}
            )
            assert wrong.status_code == 400
        # Even the right password is refused now: the guesser cannot learn they found it.
        stopped = guesser.post("/sign-in", data={"username": name, "password": PASSWORD})
        assert stopped.status_code == 429
        html = stopped.get_data(as_text=True)
        assert name not in html and NO_MATCH not in html and "Traceback" not in html
        pages[name] = html
    assert pages["rose"] == pages["nobody"]
    assert count(app, UserSession) == 0


def test_attacker_with_an_old_weak_hash_from_a_leak_finds_it_upgraded(app, client, make_user):
    make_user("rose")
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "rose")).password_hash = weak
        db.session.commit()
    response = client.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    assert response.status_code == 303
    stored = _hash_of(app, "rose")
    used = extract_parameters(stored)
    assert stored != weak
    assert used.memory_cost >= 19 * 1024 and used.time_cost >= 2


def test_attacker_cannot_sign_in_with_a_stolen_password_hash(app, client, make_user):
    make_user("rose")
    stolen = _hash_of(app, "rose")
    response = client.post("/sign-in", data={"username": "rose", "password": stolen})
    assert response.status_code == 400
    assert NO_MATCH in response.get_data(as_text=True)
    assert count(app, UserSession) == 0


@pytest.mark.parametrize(
    "target",
    ["//evil.example/phish", "https://evil.example/phish", "/\t/evil.example/phish"],
    ids=["scheme-relative", "absolute", "tab-smuggled"],
)
def test_attacker_cannot_use_sign_in_to_redirect_elsewhere(app, client, make_user, target):
    make_user("rose")
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"username": "rose", "password": PASSWORD},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert count(app, UserSession) == 1
