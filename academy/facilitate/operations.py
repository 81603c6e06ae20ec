"""Cohort writes: create, join, leave, remove, close, sessions held, shared answers."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from academy.facilitate.codes import new_join_code, normalise_code
from academy.models import (
    Cohort,
    CohortMember,
    Course,
    Module,
    SessionHeld,
    SharedAnswer,
    User,
    utcnow,
)

MAX_ANSWER = 1000  # characters: a short answer, not an essay
LINK = re.compile(r"(?i)\b(?:https?://|www\.)|\b[a-z0-9-]+\.(?:com|org|net|info|ru|io)\b")


class CohortError(ValueError):
    """Something a person did cannot be done; the code says what (for the message)."""


def create_cohort(
    session: Session,
    facilitator: User,
    course: Course,
    name: str,
    language: str,
    starts_on: date | None,
) -> Cohort:
    """A new cohort with a fresh join code."""
    cohort = Cohort(
        course_id=course.id,
        facilitator_id=facilitator.id,
        name=name.strip(),
        language=language,
        starts_on=starts_on,
        join_code=new_join_code(),
    )
    session.add(cohort)
    session.flush()
    return cohort


def join(session: Session, user: User, typed_code: str) -> Cohort:
    """Add the trainee to the open cohort whose code they typed."""
    cohort = session.scalar(
        select(Cohort).where(
            Cohort.join_code == normalise_code(typed_code), Cohort.closed_at.is_(None)
        )
    )
    if cohort is None:
        raise CohortError("unknown-code")
    if membership(session, cohort, user) is None:
        try:
            with session.begin_nested():
                session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
        except IntegrityError:
            pass  # a double tap: already in
    return cohort


def membership(session: Session, cohort: Cohort, user: User) -> CohortMember | None:
    """The trainee's membership of the cohort, if any."""
    return session.scalar(
        select(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id
        )
    )


def leave(session: Session, cohort: Cohort, user: User) -> None:
    """Take the trainee out of the cohort (their shared answers go with them)."""
    _remove(session, cohort, user.id)


def remove_member(session: Session, cohort: Cohort, member_id: int) -> None:
    """The facilitator takes a member out of their cohort."""
    member = session.get(CohortMember, member_id)
    if member is None or member.cohort_id != cohort.id:
        raise CohortError("unknown-member")
    _remove(session, cohort, member.user_id)


def _remove(session: Session, cohort: Cohort, user_id: int) -> None:
    """Delete a membership and the answers it shared with the cohort."""
    session.execute(
        delete(SharedAnswer).where(
            SharedAnswer.cohort_id == cohort.id, SharedAnswer.user_id == user_id
        )
    )
    session.execute(
        delete(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.user_id == user_id
        )
    )


def close(cohort: Cohort) -> None:
    """Close the cohort: nobody can join it any more; its members and progress stay."""
    cohort.closed_at = cohort.closed_at or utcnow()


def record_session(
    session: Session, cohort: Cohort, module: Module, held_on: date, present: int
) -> SessionHeld:
    """Note an in-person session: a date, a module and a head count, never names."""
    if present < 0 or present > 1000:
        raise CohortError("present")
    held = SessionHeld(cohort_id=cohort.id, module_id=module.id, held_on=held_on, present=present)
    session.add(held)
    return held


def clean_answer(text: str) -> str:
    """A shared answer as stored: plain text, trimmed, within the length limit."""
    body = text.replace("\r\n", "\n").strip()
    if not body:
        raise CohortError("empty")
    if len(body) > MAX_ANSWER:
        raise CohortError("long")
    if LINK.search(body):
        raise CohortError("link")  # no links: nothing to lure a trainee elsewhere
    return body


def share_answer(
    session: Session, cohort: Cohort, user: User, module: Module, activity: int, text: str
) -> SharedAnswer:
    """Post the trainee's answer to a shared activity, for their cohort to read."""
    answer = SharedAnswer(
        cohort_id=cohort.id,
        user_id=user.id,
        module_id=module.id,
        activity=activity,
        body=clean_answer(text),
    )
    session.add(answer)
    return answer


def edit_answer(answer: SharedAnswer, text: str) -> None:
    """Change the trainee's own answer."""
    answer.body = clean_answer(text)
    answer.updated_at = utcnow()


def hide_answer(answer: SharedAnswer, hidden: bool) -> None:
    """The facilitator hides an answer from the cohort (or shows it again)."""
    answer.hidden_at = utcnow() if hidden else None
