from pathlib import Path

import pytest

from academy.content import load_repository
from academy.content.quiz import normalise_answer, parse_quiz, score
from tests.conftest import FIXTURES

QUIZZES = FIXTURES / "quizzes"

EXPECTED = {
    "duplicate-option": [
        "quizzes/duplicate-option.md:4:1: error: the option 'a' is listed twice [quiz.duplicate-option]",
    ],
    "empty": [
        "quizzes/empty.md:4:1: error: the quiz has no questions: start each one with '## ' [quiz.empty]",
        "quizzes/empty.md:5:1: error: text before the first question: start questions with '## ' [quiz.stray-text]",
    ],
    "missing-feedback": [
        "quizzes/missing-feedback.md:1:1: warning: give feedback for every option ('  > why') or for the question ('> why' after the options) [quiz.missing-feedback]",
    ],
    "no-correct-answer": [
        "quizzes/no-correct-answer.md:1:1: error: no option is marked correct: mark one with '- [x]' [quiz.no-correct-answer]",
    ],
    "no-options": [
        "quizzes/no-options.md:1:1: error: the question has no options: add '- [ ] ...' lines [quiz.no-options]",
    ],
    "no-question": [
        "quizzes/no-question.md:1:1: error: the question has no text [quiz.no-question]",
    ],
    "pass-mark": [
        "quizzes/pass-mark.md:2:1: error: pass_mark must be a whole percentage from 1 to 100, for example 70 [quiz.pass-mark]",
    ],
    "several-correct": [
        "quizzes/several-correct.md:1:1: error: 2 options are marked correct in a single-choice question: mark one, or add {multiple} [quiz.several-correct]",
    ],
    "short-answers": [
        "quizzes/short-answers.md:1:1: error: a {short} question lists its accepted answers as '- = answer' [quiz.short-answers]",
    ],
    "stray-text": [
        "quizzes/stray-text.md:1:1: error: text before the first question: start questions with '## ' [quiz.stray-text]",
    ],
    "true-false": [
        "quizzes/true-false.md:1:1: error: a {true-false} question has exactly two options: True and False [quiz.true-false]",
    ],
    "unknown-key": [
        "quizzes/unknown-key.md:3:1: error: unknown field 'shuffle' (known fields: pass_mark) [quiz.unknown-key]",
    ],
    "unknown-kind": [
        "quizzes/unknown-kind.md:1:1: error: unknown question kind '{ranking}': use {multiple}, {multiple, partial}, {true-false} or {short}, or nothing for single choice [quiz.unknown-kind]",
    ],
    "yaml-syntax": [
        "quizzes/yaml-syntax.md:3:1: error: not valid YAML: expected ',' or ']', but got '<stream end>' while parsing a flow sequence [yaml.syntax]",
    ],
}

GOOD = """---
pass_mark: 60
---

## Which law made buying sex a crime in *Canada*?
- [ ] The Prostitution Act
  > That is France's law.
- [x] PCEPA
  > Yes, in 2014.

## Which are crimes under the Nordic model? {multiple, partial}
- [x] Buying sex
- [x] Running a brothel
- [ ] Selling sex

> Clients and third parties are targeted; selling is not a crime.

## Legalisation and decriminalisation are the same. {true-false}
- [ ] True
  > No.
- [x] False
  > Right.

## In which country is Wellington? {short}
- = New Zealand
- = Aotearoa

> Wellington is the capital of New Zealand.
"""


def test_every_quiz_fixture_has_an_expected_message():
    assert sorted(EXPECTED) == sorted(p.stem for p in QUIZZES.glob("*.md"))


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_quiz_check_points_at_its_line(case):
    quiz, problems = parse_quiz((QUIZZES / f"{case}.md").read_text(), f"quizzes/{case}.md")
    assert sorted(str(p) for p in problems) == sorted(EXPECTED[case])
    assert (quiz is None) == any(p.is_error for p in problems)


def test_a_good_quiz_parses_every_kind():
    quiz, problems = parse_quiz(GOOD, "quiz.md")
    assert problems == []
    assert quiz.pass_mark == 60
    kinds = [(q.kind, q.partial, q.correct) for q in quiz.questions]
    assert kinds == [
        ("single", False, {1}),
        ("multiple", True, {0, 1}),
        ("true-false", False, {1}),
        ("short", False, {0, 1}),
    ]
    first = quiz.questions[0]
    assert first.prompt == "Which law made buying sex a crime in <em>Canada</em>?"
    assert first.options[0].feedback == "That is France&#x27;s law." or "France" in (
        first.options[0].feedback
    )
    assert "selling is not a crime" in quiz.questions[1].feedback
    assert [q.line for q in quiz.questions] == [5, 11, 18, 24]


def test_pass_mark_defaults_to_70_without_front_matter():
    quiz, _ = parse_quiz("## Q?\n- [x] A\n  > yes\n", "quiz.md")
    assert quiz.pass_mark == 70


def test_scoring_single_multiple_and_partial():
    quiz, _ = parse_quiz(GOOD, "quiz.md")
    single, partial, true_false, short = quiz.questions
    assert score(single, {1}) == 1 and score(single, {0}) == 0 and score(single, set()) == 0
    assert score(partial, {0, 1}) == 1
    assert score(partial, {0}) == 0.5
    assert score(partial, {0, 2}) == 0  # a wrong choice cancels a right one
    assert score(true_false, {1}) == 1
    strict, _ = parse_quiz("## Q {multiple}\n- [x] A\n- [x] B\n- [ ] C\n\n> why\n", "q.md")
    assert score(strict.questions[0], {0}) == 0 and score(strict.questions[0], {0, 1}) == 1


def test_short_answers_ignore_case_accents_and_spaces():
    quiz, _ = parse_quiz(GOOD, "quiz.md")
    short = quiz.questions[3]
    for typed in ["new zealand", "  NEW   Zealand ", "aotéaroa"]:
        assert score(short, typed) == 1, typed
    assert score(short, "Australia") == 0
    assert score(short, {0}) == 0
    assert normalise_answer("Élan  Vital ") == "elan vital"


def test_quiz_text_is_rendered_safely():
    quiz, problems = parse_quiz("## <b>Q</b> [x](javascript:alert(1))?\n- [x] A\n  > ok\n", "q.md")
    assert [p.code for p in problems] == ["markdown.link-scheme"]
    assert quiz is None
    quiz, _ = parse_quiz("## <b>Q</b>?\n- [x] A\n  > ok\n", "q.md")
    assert quiz.questions[0].prompt == "&lt;b&gt;Q&lt;/b&gt;?"


def test_modules_carry_their_quizzes(fixture_repo):
    courses = fixture_repo()
    (courses / "demo" / "01-first" / "quiz.md").write_text(GOOD)
    module = load_repository(courses).courses[0].modules[0]
    assert list(module.quizzes) == ["en"]
    assert len(module.quizzes["en"].questions) == 4


def test_real_quizzes_have_at_least_six_questions_with_feedback():
    for course in load_repository(Path(__file__).parents[2] / "courses").courses:
        for module in course.modules:
            quiz = module.quizzes.get(course.languages[0])
            if quiz is None:
                continue
            assert len(quiz.questions) >= 6, module.id
            for question in quiz.questions:
                assert question.feedback or all(o.feedback for o in question.options)


def test_true_false_uses_the_words_of_the_quiz_language():
    french = "## La Belgique a dépénalisé en 2022. {true-false}\n- [x] Vrai\n  > Oui.\n- [ ] Faux\n  > Si.\n"
    assert parse_quiz(french, "quiz.fr.md", "fr")[1] == []
    (problem,) = parse_quiz(french, "quiz.md", "en")[1]
    assert problem.message == "a {true-false} question has exactly two options: True and False"


def test_a_translated_quiz_must_keep_partial_credit(fixture_repo):
    courses = fixture_repo()
    folder = courses / "demo" / "01-first"
    source = (folder / "quiz.md").read_text()
    (folder / "quiz.fr.md").write_text(
        source.replace("{multiple, partial}", "{multiple}")
        .replace("- [x] True", "- [x] Vrai")
        .replace("- [ ] False", "- [ ] Faux")
    )
    from academy.content import inspect_repository

    _repository, problems = inspect_repository(courses)
    assert [(p.code, p.line) for p in problems if p.is_error] == [("translation.quiz-mismatch", 11)]


def test_a_translated_short_answer_may_accept_other_words(fixture_repo):
    courses = fixture_repo()
    folder = courses / "demo" / "01-first"
    source = (folder / "quiz.md").read_text()
    (folder / "quiz.fr.md").write_text(
        source.replace("- [x] True", "- [x] Vrai")
        .replace("- [ ] False", "- [ ] Faux")
        .replace("- = red\n- = rouge\n", "- = rouge\n- = le rouge\n- = red\n")
    )
    from academy.content import inspect_repository

    _repository, problems = inspect_repository(courses)
    assert [p.code for p in problems if p.is_error] == []


def test_typed_answers_match_whatever_apostrophe_the_keyboard_uses():
    assert normalise_answer("qui l’a fait") == normalise_answer("qui l'a fait") == "qui l'a fait"
