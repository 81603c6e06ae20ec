"""Quizzes (`quiz.md`): a line-based format that reads well in a diff, its checks and scoring."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

from academy.content.errors import Problem
from academy.content.markdown import render_inline
from academy.content.yamlfile import YamlDocument, YamlError, split_front_matter

KINDS = ("single", "multiple", "true-false", "short")
# The two options of a {true-false} question in each language the checker knows; in other
# languages only the count (two) is checked.
TRUE_FALSE = {
    "en": ("true", "false"),
    "fr": ("vrai", "faux"),
    "es": ("verdadero", "falso"),
    "ru": ("верно", "неверно"),
}
DEFAULT_PASS_MARK = 70

_QUESTION = re.compile(r"^##\s+(?P<text>.*?)\s*(?:\{(?P<marker>[^{}]*)\})?\s*$")
_OPTION = re.compile(r"^[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<text>\S.*)$")
_ANSWER = re.compile(r"^[-*]\s+=\s*(?P<text>\S.*)$")
_OPTION_FEEDBACK = re.compile(r"^\s{2,}>\s?(?P<text>.*)$")
_QUESTION_FEEDBACK = re.compile(r"^>\s?(?P<text>.*)$")


@dataclass
class Option:
    """One choice (or, for short answers, one accepted answer) and its feedback."""

    text: str
    html: str
    correct: bool
    line: int
    feedback: str = ""  # HTML
    typed: bool = False  # written '- = answer': an accepted answer of a {short} question


@dataclass
class Question:
    """One question: its kind, prompt, options, feedback and where it starts."""

    number: int
    kind: str
    prompt: str  # HTML
    line: int
    partial: bool = False  # multiple choice with partial credit
    options: list[Option] = field(default_factory=list)
    feedback: str = ""  # HTML, for the whole question

    @property
    def correct(self) -> set[int]:
        """Indexes of the correct options."""
        return {index for index, option in enumerate(self.options) if option.correct}

    @property
    def accepted(self) -> set[str]:
        """Normalised accepted answers of a short-answer question."""
        return {normalise_answer(option.text) for option in self.options}


@dataclass
class Quiz:
    """A module's quiz in one language."""

    pass_mark: int
    questions: list[Question]


def quiz_to_data(quiz: Quiz) -> dict:
    """The quiz as plain JSON-able data, to store with a published version."""
    return asdict(quiz)


def quiz_from_data(data: dict) -> Quiz:
    """Rebuild a quiz stored by quiz_to_data."""
    questions = [
        Question(**{**question, "options": [Option(**option) for option in question["options"]]})
        for question in data["questions"]
    ]
    return Quiz(data["pass_mark"], questions)


APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})


def normalise_answer(text: str) -> str:
    """Compare typed answers ignoring case, accents, apostrophe styles and extra spaces."""
    # Phone keyboards type ’ where the quiz file has ' (and the other way round).
    text = text.translate(APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def score(question: Question, answer: set[int] | str) -> float:
    """Credit between 0 and 1 for an answer: chosen option indexes, or typed text."""
    if question.kind == "short":
        return float(isinstance(answer, str) and normalise_answer(answer) in question.accepted)
    chosen = answer if isinstance(answer, set) else set()
    correct = question.correct
    if question.kind == "multiple" and question.partial:
        right, wrong = len(chosen & correct), len(chosen - correct)
        return max(0.0, (right - wrong) / len(correct)) if correct else 0.0
    return float(chosen == correct)


def parse_quiz(text: str, path: str, language: str = "en") -> tuple[Quiz | None, list[Problem]]:
    """Parse a quiz file; problems point at `path:line`. Returns no quiz if it has errors."""
    parser = _QuizParser(path, language)
    quiz = parser.parse(text)
    has_errors = any(problem.is_error for problem in parser.problems)
    return (None if has_errors else quiz), parser.problems


class _QuizParser:
    """Reads a quiz line by line, so every problem has its exact line."""

    def __init__(self, path: str, language: str):
        self.path = path
        self.language = language
        self.problems: list[Problem] = []

    def report(self, line: int, message: str, code: str, severity: str = "error") -> None:
        """Record a problem at `line`."""
        self.problems.append(Problem(self.path, line, message, code, severity))

    def inline(self, text: str, line: int) -> str:
        """Render a line of quiz text, keeping its problems."""
        rendered = render_inline(text, path=self.path, line=line, language=self.language)
        self.problems.extend(rendered.problems)
        return rendered.html

    def parse(self, text: str) -> Quiz:
        """Split off the front matter, read each question, then check the whole quiz."""
        pass_mark, first_line, lines = DEFAULT_PASS_MARK, 1, text.splitlines()
        if lines and lines[0].strip() == "---":
            try:
                split = split_front_matter(text)
            except YamlError as exc:
                self.report(exc.line, exc.message, "yaml.syntax")
                return Quiz(pass_mark, [])
            pass_mark = self.pass_mark(split.meta)
            first_line, lines = split.body_first_line, split.body.splitlines()
        questions: list[Question] = []
        for offset, raw in enumerate(lines):
            self.line(questions, raw, first_line + offset)
        if not questions:
            self.report(
                first_line, "the quiz has no questions: start each one with '## '", "quiz.empty"
            )
        for question in questions:
            self.check(question)
        return Quiz(pass_mark, questions)

    def pass_mark(self, meta: YamlDocument) -> int:
        """The percentage needed to pass, a whole number from 1 to 100."""
        data = meta.data if isinstance(meta.data, dict) else {}
        for key in data:
            if key != "pass_mark":
                self.report(
                    meta.line_of(str(key)),
                    f"unknown field '{key}' (known fields: pass_mark)",
                    "quiz.unknown-key",
                )
        value = data.get("pass_mark", DEFAULT_PASS_MARK)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
            self.report(
                meta.line_of("pass_mark"),
                "pass_mark must be a whole percentage from 1 to 100, for example 70",
                "quiz.pass-mark",
            )
            return DEFAULT_PASS_MARK
        return value

    def line(self, questions: list[Question], raw: str, number: int) -> None:
        """Read one line into the question being built."""
        if not raw.strip():
            return
        if match := _QUESTION.match(raw):
            questions.append(self.question(match, number, len(questions) + 1))
            return
        if not questions:
            self.report(
                number,
                "text before the first question: start questions with '## '",
                "quiz.stray-text",
            )
            return
        question = questions[-1]
        if (match := _OPTION.match(raw)) or (match := _ANSWER.match(raw)):
            typed = "mark" not in match.groupdict()
            correct = typed or match["mark"].lower() == "x"
            text = match["text"].strip()
            html = self.inline(text, number)
            question.options.append(Option(text, html, correct, number, typed=typed))
        elif (match := _OPTION_FEEDBACK.match(raw)) and question.options:
            option = question.options[-1]
            option.feedback = _join(option.feedback, self.inline(match["text"], number))
        elif match := _QUESTION_FEEDBACK.match(raw):
            question.feedback = _join(question.feedback, self.inline(match["text"], number))
        elif not question.options:
            question.prompt = _join(question.prompt, self.inline(raw, number))
        else:
            self.report(
                number,
                "this line is not an option ('- [ ] ...'), an answer "
                "('- = ...') or feedback ('  > ...')",
                "quiz.stray-text",
            )

    def question(self, match: re.Match, line: int, number: int) -> Question:
        """Start a question from its heading and optional `{kind}` marker."""
        marker = [part.strip().lower() for part in (match["marker"] or "").split(",") if part]
        kind = marker[0] if marker else "single"
        partial = "partial" in marker[1:]
        if (
            kind not in KINDS
            or any(part != "partial" for part in marker[1:])
            or (partial and kind != "multiple")
        ):
            self.report(
                line,
                f"unknown question kind '{{{match['marker']}}}': use {{multiple}}, "
                "{multiple, partial}, {true-false} or {short}, or nothing for single "
                "choice",
                "quiz.unknown-kind",
            )
        return Question(number, kind, self.inline(match["text"], line), line, partial)

    def check(self, question: Question) -> None:
        """The rules a question of each kind must follow."""
        options, line = question.options, question.line
        if not question.prompt:
            self.report(line, "the question has no text", "quiz.no-question")
        if question.kind == "short":
            if not options or any(not option.typed for option in options):
                self.report(
                    line,
                    "a {short} question lists its accepted answers as '- = answer'",
                    "quiz.short-answers",
                )
        elif not options:
            self.report(
                line, "the question has no options: add '- [ ] ...' lines", "quiz.no-options"
            )
            return
        elif any(option.typed for option in options):
            self.report(
                line,
                "'- = answer' lines belong to {short} questions: write choices "
                "as '- [ ] ...' and '- [x] ...'",
                "quiz.short-answers",
            )
        elif not question.correct:
            self.report(
                line, "no option is marked correct: mark one with '- [x]'", "quiz.no-correct-answer"
            )
        elif question.kind in ("single", "true-false") and len(question.correct) > 1:
            self.report(
                line,
                f"{len(question.correct)} options are marked correct in a "
                "single-choice question: mark one, or add {multiple}",
                "quiz.several-correct",
            )
        words = TRUE_FALSE.get(self.language.split("-")[0])
        texts = sorted(option.text.casefold() for option in options)
        if question.kind == "true-false" and (
            len(options) != 2 or (words is not None and texts != sorted(words))
        ):
            pair = " and ".join(word.capitalize() for word in words or ("true", "false"))
            self.report(
                line,
                f"a {{true-false}} question has exactly two options: {pair}",
                "quiz.true-false",
            )
        seen: set[str] = set()
        for option in options:
            key = normalise_answer(option.text)
            if key in seen:
                self.report(
                    option.line,
                    f"the option '{option.text}' is listed twice",
                    "quiz.duplicate-option",
                )
            seen.add(key)
        if not question.feedback and not all(option.feedback for option in options):
            self.report(
                line,
                "give feedback for every option ('  > why') or for the "
                "question ('> why' after the options)",
                "quiz.missing-feedback",
                "warning",
            )


def _join(html: str, more: str) -> str:
    """Add a line of rendered text to what a prompt or feedback already has."""
    return f"{html} {more}".strip() if html else more
