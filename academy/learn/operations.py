"""Trainee writes: a module opened, a quiz attempt stored. Callers commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from academy.content.versions import parse_version
from academy.learn.quizzes import Marked
from academy.models import ModuleProgress, ModuleVersion, QuizAttempt, User, utcnow


def record_open(session: Session, user: User, version: ModuleVersion) -> None:
    """Note that the trainee opened this version of the module."""
    progress = _progress(session, user, version)
    progress.opened_version_id = version.id
    progress.opened_at = utcnow()


def record_attempt(
    session: Session,
    user: User,
    version: ModuleVersion,
    language: str,
    form_token: str,
    answers: list[set[int] | str],
    marked: Marked,
) -> QuizAttempt:
    """Store a marked attempt once per form; a resent form returns the attempt it made."""
    earlier = _attempt_for_form(session, user, form_token)
    if earlier is not None:
        return earlier
    attempt = QuizAttempt(
        user_id=user.id,
        module_version_id=version.id,
        language=language,
        form_token=form_token,
        answers=[sorted(answer) if isinstance(answer, set) else answer for answer in answers],
        credits=[item.credit for item in marked.questions],
        percent=marked.percent,
        passed=marked.passed,
    )
    try:
        with session.begin_nested():  # two taps racing: the unique form token decides
            session.add(attempt)
    except IntegrityError:
        return _attempt_for_form(session, user, form_token)
    progress = _progress(session, user, version)
    progress.best_percent = max(progress.best_percent or 0, marked.percent)
    if marked.passed and _newer_or_same(version, progress.passed_version):
        progress.passed_version_id = version.id
        progress.passed_at = attempt.created_at or utcnow()
    return attempt


def _attempt_for_form(session: Session, user: User, form_token: str) -> QuizAttempt | None:
    """The attempt already stored from this form, if any."""
    return session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.form_token == form_token, QuizAttempt.user_id == user.id
        )
    )


def _progress(session: Session, user: User, version: ModuleVersion) -> ModuleProgress:
    """The trainee's progress row for the version's module, created on first use."""
    progress = session.scalar(
        select(ModuleProgress).where(
            ModuleProgress.user_id == user.id, ModuleProgress.module_id == version.module_id
        )
    )
    if progress is None:
        progress = ModuleProgress(
            user_id=user.id, module_id=version.module_id, opened_version_id=version.id
        )
        try:
            with session.begin_nested():  # two first submissions racing: one row wins
                session.add(progress)
        except IntegrityError:
            progress = session.scalar(
                select(ModuleProgress).where(
                    ModuleProgress.user_id == user.id,
                    ModuleProgress.module_id == version.module_id,
                )
            )
    return progress


def _newer_or_same(version: ModuleVersion, than: ModuleVersion | None) -> bool:
    """True when `version` is at least as new as `than` (a pass on an old form stays old)."""
    return than is None or parse_version(version.version) >= parse_version(than.version)
