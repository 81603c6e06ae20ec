"""Reading a submitted quiz form, its one-time ticket, and marking it; no Flask here."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict

from academy.content.quiz import Question, Quiz, score

MAX_ANSWER_LENGTH = 300  # characters in a typed answer; anything longer is not an answer


class UnreadableAnswers(ValueError):
    """The form does not match the quiz (tampered, stale or oversized)."""


class StaleForm(UnreadableAnswers):
    """A genuine form, open too long: its answers deserve a second chance, not a refusal."""


@dataclass
class MarkedQuestion:
    """One question with the trainee's answer and its credit."""

    question: Question
    chosen: set[int]
    typed: str
    credit: float

    @property
    def verdict(self) -> str:
        """right, partly or wrong."""
        return "right" if self.credit == 1 else "partly" if self.credit > 0 else "wrong"


@dataclass
class Marked:
    """A marked attempt: every question, the percentage and whether it passes."""

    questions: list[MarkedQuestion]
    percent: int
    passed: bool


def read_answers(quiz: Quiz, form: MultiDict) -> list[set[int] | str]:
    """Each question's answer from the form (`q1`, `q2`...); unanswered ones are empty."""
    # Besides the answers: the form's tokens, and the sign-in fields of a form sent after the
    # trainee was signed out.
    known = {f"q{question.number}" for question in quiz.questions}
    known |= {"csrf_token", "ticket", "username", "password"}
    if set(form) - known:
        raise UnreadableAnswers("the form has answers to questions this quiz does not have")
    answers: list[set[int] | str] = []
    for question in quiz.questions:
        values = form.getlist(f"q{question.number}")
        if any(len(value) > MAX_ANSWER_LENGTH for value in values):
            raise UnreadableAnswers("an answer is too long")
        if question.kind == "short":
            answers.append(values[0] if values else "")
            continue
        if len(values) > 1 and question.kind != "multiple":
            raise UnreadableAnswers("several answers to a one-answer question")
        try:
            chosen = {int(value) for value in values}
        except ValueError:
            raise UnreadableAnswers("an option that does not exist") from None
        if not chosen <= set(range(len(question.options))):
            raise UnreadableAnswers("an option that does not exist")
        answers.append(chosen)
    return answers


def readable_answers(quiz: Quiz, form: MultiDict) -> list[set[int] | str] | None:
    """The answers in a form, to fill it in again; None when they cannot be read."""
    try:
        return read_answers(quiz, form)
    except UnreadableAnswers:
        return None


def mark(quiz: Quiz, answers: list[set[int] | str]) -> Marked:
    """Score every answer and the whole attempt against the pass mark."""
    marked = [
        MarkedQuestion(
            question,
            answer if isinstance(answer, set) else set(),
            answer if isinstance(answer, str) else "",
            score(question, answer),
        )
        for question, answer in zip(quiz.questions, answers, strict=True)
    ]
    total = sum(item.credit for item in marked)
    percent = round(100 * total / len(marked)) if marked else 0
    return Marked(marked, percent, percent >= quiz.pass_mark)


@dataclass
class FormTicket:
    """What a signed-in trainee's quiz form was rendered for: the version and the language."""

    version_id: int
    language: str
    nonce: str


FORM_TICKET_AGE = 7 * 24 * 3600  # a form left open on a phone for a week can still be sent


def issue_ticket(secret: str, user_id: int, version_id: int, language: str) -> str:
    """A signed, one-time token for one rendering of the quiz form."""
    nonce = secrets.token_urlsafe(16)
    return _serializer(secret).dumps([user_id, version_id, language, nonce])


def read_ticket(secret: str, user_id: int, token: str) -> FormTicket:
    """The ticket in a submitted form; UnreadableAnswers when forged, stale or someone else's."""
    try:
        owner, version_id, language, nonce = _serializer(secret).loads(
            token, max_age=FORM_TICKET_AGE
        )
    except SignatureExpired:
        raise StaleForm("the form was open too long") from None
    except (BadSignature, ValueError, TypeError):
        raise UnreadableAnswers("the form's token is not valid") from None
    if owner != user_id:
        raise UnreadableAnswers("the form was made for someone else")
    return FormTicket(version_id, language, nonce)


def _serializer(secret: str) -> URLSafeTimedSerializer:
    """Signs quiz form tickets, apart from every other signed value in the app."""
    return URLSafeTimedSerializer(secret, salt="academy.quiz-form")
