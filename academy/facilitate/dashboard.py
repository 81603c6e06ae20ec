"""What a facilitator sees of a cohort: the progress grid and where the group went wrong."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from academy.content.quiz import Quiz, quiz_from_data
from academy.learn import queries
from academy.learn.progress import ModuleState, state_of
from academy.models import Cohort, CohortMember, ModuleProgress, QuizAttempt

# How each state reads in the grid (the page translates these words; the CSV keeps them).
STATES = ("new", "opened", "passed", "updated")


@dataclass
class Grid:
    """Members × modules: each cell a module state."""

    entries: list[queries.ModuleEntry]
    rows: list[tuple[CohortMember, list[ModuleState]]]


@dataclass
class QuestionFigures:
    """How the cohort did on one question of a module's current quiz."""

    number: int
    prompt: str
    answered: int
    right: int
    common_wrong: str | None  # the wrong option most chosen, for choice questions
    common_wrong_count: int

    @property
    def right_percent(self) -> int | None:
        """Share of those who answered who got it right."""
        return round(100 * self.right / self.answered) if self.answered else None


def grid(session: Session, cohort: Cohort, languages: list[str]) -> Grid:
    """Every member's state in every module of the cohort's course (one query for progress)."""
    entries = queries.module_entries(session, cohort.course, languages)
    members = list(
        session.scalars(
            select(CohortMember)
            .where(CohortMember.cohort_id == cohort.id)
            .order_by(CohortMember.joined_at, CohortMember.id)
            .options(selectinload(CohortMember.user))
        )
    )
    progress = session.scalars(
        select(ModuleProgress)
        .where(ModuleProgress.user_id.in_([m.user_id for m in members]))
        .options(selectinload(ModuleProgress.passed_version))
    )
    by_user = {(row.user_id, row.module_id): row for row in progress}
    rows = [
        (
            member,
            [state_of(entry, by_user.get((member.user_id, entry.module.id))) for entry in entries],
        )
        for member in members
    ]
    return Grid(entries, rows)


def grid_csv(result: Grid) -> str:
    """The grid as CSV: one row per member, one column per module."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["username", *(f"{e.number}. {e.text.title}" for e in result.entries)])
    for member, states in result.rows:
        writer.writerow([member.user.username, *(state.status for state in states)])
    return out.getvalue()


def question_figures(
    session: Session, cohort: Cohort, entry: queries.ModuleEntry
) -> tuple[Quiz | None, list[QuestionFigures]]:
    """Per question of the module's current quiz: who answered, who was right, the usual slip.

    Each member counts once, by their latest attempt on the current version.
    """
    if entry.text.quiz is None:
        return None, []
    quiz = quiz_from_data(entry.text.quiz)
    attempts = session.scalars(
        select(QuizAttempt)
        .join(CohortMember, CohortMember.user_id == QuizAttempt.user_id)
        .where(
            CohortMember.cohort_id == cohort.id,
            QuizAttempt.module_version_id == entry.version.id,
        )
        .order_by(QuizAttempt.created_at, QuizAttempt.id)
    )
    latest = {attempt.user_id: attempt for attempt in attempts}  # later ones replace earlier
    figures = []
    for index, question in enumerate(quiz.questions):
        answered = right = 0
        wrong = Counter()
        for attempt in latest.values():
            answer = attempt.answers[index] if index < len(attempt.answers) else None
            if answer in (None, "", []):
                continue
            answered += 1
            right += attempt.credits[index] == 1
            if isinstance(answer, list):
                wrong.update(i for i in answer if not question.options[i].correct)
        common = wrong.most_common(1)
        figures.append(
            QuestionFigures(
                question.number,
                question.prompt,
                answered,
                right,
                question.options[common[0][0]].html if common else None,
                common[0][1] if common else 0,
            )
        )
    return quiz, figures


def questions_csv(figures: list[QuestionFigures]) -> str:
    """The question analysis as CSV, in the same numbers as the page."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["question", "answered", "right", "right_percent", "most_chosen_wrong", "times"]
    )
    for item in figures:
        writer.writerow(
            [
                item.number,
                item.answered,
                item.right,
                "" if item.right_percent is None else item.right_percent,
                _plain(item.common_wrong or ""),
                item.common_wrong_count,
            ]
        )
    return out.getvalue()


def _plain(html: str) -> str:
    """Option text without its inline markup, for a spreadsheet."""
    return re.sub(r"<[^>]+>", "", html)
