import re

import pytest


@pytest.fixture
def quiz_url(client):
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    first = re.findall(r'href="(/m/[^"]+)"', client.get(course).get_data(as_text=True))[0]
    lesson = client.get(first).get_data(as_text=True)
    return re.search(r'href="(/m/[^"]+/q)"', lesson).group(1)


def test_quiz_form_works_without_javascript_and_hides_the_answer_key(client, quiz_url):
    page = client.get(quiz_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<form method="post"' in html and 'name="csrf_token"' in html
    assert "<script src" not in html
    assert html.count('type="radio" name="q1"') == 2
    assert html.count('type="checkbox" name="q2"') == 3
    assert 'type="text" name="q4"' in html
    for secret in ["Yes, apples", "vegetable", "red", "rouge", "correct", "[x]"]:
        assert secret not in html, secret
    assert re.search(r"<title>Academy · Quiz 1</title>", html)


def test_all_right_answers_pass_with_feedback(client, quiz_url):
    results = client.post(quiz_url, data={"q1": "1", "q2": ["0", "1"], "q3": "0", "q4": "  Rouge "})
    html = results.get_data(as_text=True)
    assert results.status_code == 200
    assert "Your result: 100%" in html and "Well done: you passed." in html
    assert "Yes, apples." in html and "The square is red." in html


def test_wrong_and_partial_answers_show_the_right_ones(client, quiz_url):
    html = client.post(quiz_url, data={"q1": "0", "q2": ["0"], "q4": "blue"}).get_data(as_text=True)
    # q1 wrong (0), q2 half (0.5), q3 unanswered (0), q4 wrong (0): 12.5% rounds to 12
    assert "Your result: 12%" in html
    assert "Not passed yet: you need 60%." in html
    assert "Pears are only in the facilitator" in html  # feedback on what was chosen
    assert "Right answer: Apples" in html
    assert "Partly right" in html and "You did not answer." in html
    assert "Accepted: red, rouge" in html
    assert "Take the quiz again" in html


@pytest.mark.parametrize(
    "data",
    [
        {"q1": "7"},  # an option that does not exist
        {"q1": "apples"},  # not an option number
        {"q1": ["0", "1"]},  # two answers to a one-answer question
        {"q9": "0"},  # a question the quiz does not have
        {"q4": "x" * 301},  # a huge field
    ],
)
def test_tampered_answers_get_a_clear_400(client, quiz_url, data):
    response = client.post(quiz_url, data=data)
    assert response.status_code == 400
    assert "Your answers could not be read. Please answer again." in response.get_data(as_text=True)


def test_quiz_of_a_missing_module_or_module_without_quiz_is_404(client, quiz_url):
    assert client.get("/m/nothere/q").status_code == 404
    course = re.search(r'href="(/c/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    second = re.findall(r'href="(/m/[^"]+)"', client.get(course).get_data(as_text=True))[1]
    assert "take the quiz" not in client.get(second).get_data(as_text=True)
    assert client.get(second + "/q").status_code == 404


def test_a_quiz_without_csrf_token_is_refused(make_app, quiz_url):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.post(quiz_url, data={"q1": "1"}).status_code == 400


def test_results_are_never_stored_by_the_browser(client, quiz_url):
    results = client.post(quiz_url, data={"q1": "1"})
    assert "no-store" in results.headers["Cache-Control"]
    assert "no-store" in client.post(quiz_url, data={"q1": "9"}).headers["Cache-Control"]
