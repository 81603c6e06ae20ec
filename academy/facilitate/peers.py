"""Peer exchange reads: a trainee's cohort for a course and the answers its members shared."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from academy.models import Cohort, CohortMember, Course, Module, SharedAnswer, User


def cohorts_of(session: Session, user: User) -> list[Cohort]:
    """The cohorts the trainee belongs to, newest first."""
    return list(
        session.scalars(
            select(Cohort)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user.id)
            .order_by(CohortMember.joined_at.desc(), CohortMember.id.desc())
            .options(selectinload(Cohort.facilitator))
        )
    )


def cohort_for(session: Session, user: User, course: Course) -> Cohort | None:
    """The cohort through which the trainee follows this course (the latest they joined)."""
    return next((c for c in cohorts_of(session, user) if c.course_id == course.id), None)


def answers(
    session: Session, cohort: Cohort, module: Module, reader: User
) -> dict[int, list[SharedAnswer]]:
    """Answers shared in this cohort on this module, by activity (hidden ones: author only)."""
    rows = session.scalars(
        select(SharedAnswer)
        .where(SharedAnswer.cohort_id == cohort.id, SharedAnswer.module_id == module.id)
        .order_by(SharedAnswer.created_at, SharedAnswer.id)
        .options(selectinload(SharedAnswer.user))
    )
    by_activity: dict[int, list[SharedAnswer]] = defaultdict(list)
    for row in rows:
        if row.hidden_at is None or row.user_id == reader.id:
            by_activity[row.activity].append(row)
    return by_activity


def all_answers(session: Session, cohort: Cohort) -> list[SharedAnswer]:
    """Every answer shared in the cohort, hidden ones too: for its facilitator."""
    return list(
        session.scalars(
            select(SharedAnswer)
            .where(SharedAnswer.cohort_id == cohort.id)
            .order_by(SharedAnswer.created_at.desc())
            .options(selectinload(SharedAnswer.user))
        )
    )
