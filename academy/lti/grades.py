"""Assignment and Grade Services: a launched learner's quiz score goes back to their platform.

A score is queued (a row in lti_score, committed) before the platform is called, and marked
sent once it answers. A platform that cannot be reached costs the trainee nothing: their
attempt is stored already, the score stays queued and `academy lti send-scores` sends it later.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from academy.db import db
from academy.lti import operations
from academy.lti.launches import http_session
from academy.lti.toolconf import registration
from academy.models import LtiGradeTarget, LtiScore, QuizAttempt, User, utcnow

log = logging.getLogger(__name__)


def send_score(attempt: QuizAttempt) -> None:
    """After an attempt is committed: send its score to the learner's platform, if it has one.

    Never raises: whatever goes wrong with another system must not turn the trainee's result
    into an error page. A resent quiz form (the same attempt) is never scored twice.
    """
    session, attempt_id = db.session, attempt.id
    try:
        score = queue_score(session, attempt)
        if score is None:
            return
        session.commit()
    except Exception as error:  # the attempt is committed already; only the score is at stake
        session.rollback()
        log.error("LTI score for attempt %s not queued: %s", attempt_id, type(error).__name__)
        return
    deliver_quietly(session, score)


def queue_score(session: Session, attempt: QuizAttempt) -> LtiScore | None:
    """A new queued score for the attempt; None when nothing is owed or it is queued already."""
    account = operations.account_of(session, session.get(User, attempt.user_id))
    if account is None:
        return None  # not an account made by a launch
    target = session.scalar(
        select(LtiGradeTarget).where(
            LtiGradeTarget.account_id == account.id,
            LtiGradeTarget.module_id == attempt.module_version.module_id,
        )
    )
    if target is None:
        return None  # launched without a gradebook column for this module
    if session.scalar(select(LtiScore.id).where(LtiScore.attempt_id == attempt.id)):
        return None
    score = LtiScore(attempt_id=attempt.id, target_id=target.id)
    try:
        with session.begin_nested():  # a double tap racing: the unique attempt id decides
            session.add(score)
    except IntegrityError:
        return None
    return score


def deliver_quietly(session: Session, score: LtiScore) -> bool:
    """Send a queued score and mark it sent; on failure log why (no personal data), keep it."""
    score_id, target_id = score.id, score.target_id
    try:
        _deliver(score)
        score.sent_at = utcnow()
        session.commit()
    except Exception as error:  # a platform down, slow, refusing or answering nonsense
        session.rollback()
        log.warning(
            "LTI score %s (grade target %s) not sent, kept to send later: %s",
            score_id,
            target_id,
            _why(error),
        )
        return False
    return True


def send_pending(session: Session) -> tuple[int, int]:
    """Send every queued score not sent yet, oldest first; returns (sent, still unsent)."""
    pending = session.scalars(
        select(LtiScore).where(LtiScore.sent_at.is_(None)).order_by(LtiScore.id)
    ).all()
    sent = sum(deliver_quietly(session, score) for score in pending)
    return sent, len(pending) - sent


def _deliver(score: LtiScore) -> None:
    """Post the score to the platform's line item (pylti1p3 gets the OAuth2 token first)."""
    target, attempt = score.target, score.attempt
    connector = ServiceConnector(registration(target.account.platform), http_session())
    service = AssignmentsGradesService(
        connector, {"scope": target.scopes, "lineitem": target.lineitem_url}
    )
    grade = (
        Grade()
        .set_score_given(attempt.percent)
        .set_score_maximum(100)
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_timestamp(_utc(attempt.created_at).isoformat())
        .set_user_id(target.account.sub)
    )
    service.put_grade(grade)


def _utc(moment: datetime) -> datetime:
    """The moment with its time zone (SQLite gives stored times back without one)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _why(error: Exception) -> str:
    """What went wrong, for the log: the kind of error and the platform's status, no content."""
    if isinstance(error, LtiServiceException):
        return f"{type(error).__name__} (HTTP {error.response.status_code})"
    return type(error).__name__
