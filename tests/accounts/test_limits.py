import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def limited_app(make_app):
    return make_app(
        ACADEMY_SIGN_IN_NAME_LIMIT="3 per minute",
        ACADEMY_SIGN_UP_LIMIT="2 per hour",
    )


def test_guessing_one_accounts_password_is_stopped_with_a_clear_429(limited_app, sign_up):
    sign_up(limited_app.test_client(), "rose")
    guesser = limited_app.test_client()
    for _ in range(3):
        wrong = guesser.post("/sign-in", data={"username": "rose", "password": "guess guess"})
        assert wrong.status_code == 400
    response = guesser.post("/sign-in", data={"username": "rose", "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "please wait 1 minute and try again" in html
    assert int(response.headers["Retry-After"]) > 0
    assert "Traceback" not in html


def test_the_owner_signing_in_does_not_use_up_the_limit(limited_app, sign_up):
    sign_up(limited_app.test_client(), "rose")
    client = limited_app.test_client()
    for _ in range(5):
        assert (
            client.post("/sign-in", data={"username": "rose", "password": PASSWORD}).status_code
            == 303
        )
        client.post("/sign-out")


def test_other_accounts_are_not_locked_by_guesses_at_one(limited_app, sign_up):
    sign_up(limited_app.test_client(), "lily")
    client = limited_app.test_client()
    for _ in range(4):
        client.post("/sign-in", data={"username": "rose", "password": "guess guess"})
    assert (
        client.post("/sign-in", data={"username": "lily", "password": PASSWORD}).status_code == 303
    )


def test_sign_up_is_rate_limited(limited_app):
    client = limited_app.test_client()
    for name in ["aaa", "bbb"]:
        client.post("/join", data={"username": name, "password": PASSWORD})
    response = client.post("/join", data={"username": "ccc", "password": PASSWORD})
    assert response.status_code == 429
    assert "minutes and try again" in response.get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    for url in ["/join", "/sign-in"]:
        assert 'name="csrf_token"' in client.get(url).get_data(as_text=True)
    for url, data in [
        ("/join", {"username": "rose", "password": PASSWORD}),
        ("/sign-in", {"username": "rose", "password": PASSWORD}),
        ("/sign-out", {}),
        ("/account/delete", {"delete-password": PASSWORD}),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "This form has expired" in response.get_data(as_text=True)
