"""Account writes: create, sign in and out, export and delete. Callers commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from academy.accounts.passwords import (
    MAX_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from academy.accounts.usernames import normalise, username_key
from academy.models import (
    Cohort,
    CohortMember,
    Module,
    ModuleProgress,
    ModuleVersion,
    PackDownload,
    QuizAttempt,
    SessionHeld,
    SharedAnswer,
    User,
    UserSession,
    utcnow,
)

ROLES = ("trainee", "facilitator", "admin")


class UsernameTaken(ValueError):
    """Someone already has this username (or one that looks the same)."""


class NoSuchUser(LookupError):
    """No account has this username."""


def create_account(session: Session, username: str, password: str, role: str = "trainee") -> User:
    """A new account (a trainee unless said); raises UsernameTaken when the name is in use."""
    name = normalise(username)
    user = User(username=name, username_key=username_key(name), password_hash="", role=role)
    if session.scalar(select(User.id).where(User.username_key == user.username_key)):
        raise UsernameTaken(name)
    user.password_hash = hash_password(password)
    session.add(user)
    try:
        session.flush()  # two people racing for one name: the unique key decides
    except IntegrityError:
        session.rollback()
        raise UsernameTaken(name) from None
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The account when the username and password match, else None."""
    if len(password) > MAX_LENGTH:
        return None
    user = session.scalar(select(User).where(User.username_key == username_key(username)))
    if not verify_password(user.password_hash if user else None, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def check_password(user: User, password: str) -> bool:
    """True when `password` is the trainee's own (asked again before export and deletion)."""
    return len(password) <= MAX_LENGTH and verify_password(user.password_hash, password)


def _token_hash(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, lifetime: timedelta) -> str:
    """Open a server-side session for `user` and return its new token (for the cookie)."""
    now = utcnow()
    # Expired sessions of this trainee go now: no job is needed to clear them.
    session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at < now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(token_hash=_token_hash(token), user_id=user.id, expires_at=now + lifetime)
    )
    user.session_token = token
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The trainee a live session token belongs to, or None once it ended or expired."""
    user = session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _token_hash(token), UserSession.expires_at > utcnow())
    )
    if user is not None:
        user.session_token = token
    return user


def end_session(session: Session, token: str | None) -> None:
    """End one session server-side: its cookie, even copied elsewhere, stops working."""
    if token:
        session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


def delete_account(session: Session, user: User) -> None:
    """Delete the trainee and everything stored about them; no row is kept."""
    # A facilitator's cohorts go with them, and with each cohort what happened in it.
    owned = select(Cohort.id).where(Cohort.facilitator_id == user.id)
    for model in (SharedAnswer, CohortMember, SessionHeld):
        session.execute(delete(model).where(model.cohort_id.in_(owned)))
    session.execute(delete(Cohort).where(Cohort.facilitator_id == user.id))
    for model in (SharedAnswer, CohortMember, QuizAttempt, ModuleProgress, PackDownload):
        session.execute(delete(model).where(model.user_id == user.id))
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.execute(delete(User).where(User.id == user.id))


def export_account(session: Session, user: User) -> dict:
    """Everything stored about the trainee, as plain data they can download."""
    progress = session.execute(
        select(ModuleProgress, Module)
        .join(Module, ModuleProgress.module_id == Module.id)
        .where(ModuleProgress.user_id == user.id)
        .order_by(ModuleProgress.opened_at)
    ).all()
    attempts = session.execute(
        select(QuizAttempt, ModuleVersion, Module)
        .join(ModuleVersion, QuizAttempt.module_version_id == ModuleVersion.id)
        .join(Module, ModuleVersion.module_id == Module.id)
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.created_at)
    ).all()
    memberships = session.execute(
        select(CohortMember, Cohort)
        .join(Cohort, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id)
    ).all()
    shared = session.execute(
        select(SharedAnswer, Module)
        .join(Module, SharedAnswer.module_id == Module.id)
        .where(SharedAnswer.user_id == user.id)
        .order_by(SharedAnswer.created_at)
    ).all()
    return {
        "groups": [
            {"name": cohort.name, "joined_at": member.joined_at.isoformat()}
            for member, cohort in memberships
        ],
        "shared_answers": [
            {
                "module": module.key,
                "activity": answer.activity,
                "text": answer.body,
                "posted_at": answer.created_at.isoformat(),
                "hidden_by_facilitator": answer.hidden_at is not None,
            }
            for answer, module in shared
        ],
        "account": {
            "username": user.username,
            "role": user.role,
            "language": user.language,
            "created_at": user.created_at.isoformat(),
        },
        "progress": [
            {
                "module": module.key,
                "opened_version": row.opened_version.version,
                "opened_at": row.opened_at.isoformat(),
                "best_percent": row.best_percent,
                "passed_version": row.passed_version.version if row.passed_version else None,
                "passed_at": row.passed_at.isoformat() if row.passed_at else None,
            }
            for row, module in progress
        ],
        "quiz_attempts": [
            {
                "module": module.key,
                "version": version.version,
                "language": attempt.language,
                "submitted_at": attempt.created_at.isoformat(),
                "answers": attempt.answers,
                "percent": attempt.percent,
                "passed": attempt.passed,
            }
            for attempt, version, module in attempts
        ],
    }


def find_user(session: Session, username: str) -> User | None:
    """The account with this username (compared as look-alikes are), if any."""
    return session.scalar(select(User).where(User.username_key == username_key(username)))


def set_role(session: Session, username: str, role: str) -> User:
    """Make an account a trainee, a facilitator or an admin."""
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}' (roles: {', '.join(ROLES)})")
    user = session.scalar(select(User).where(User.username_key == username_key(username)))
    if user is None:
        raise NoSuchUser(username)
    user.role = role
    return user


def set_language(user: User, code: str) -> None:
    """Remember the trainee's interface language on their account."""
    user.language = code
