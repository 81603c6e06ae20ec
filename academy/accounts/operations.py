"""Account writes: create, sign in and out, export and delete. Callers commit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from academy.accounts.passwords import (
    MAX_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from academy.accounts.usernames import normalise, username_key, username_skeleton
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
    user = User(
        username=name,
        username_key=username_key(name),
        username_skeleton=username_skeleton(name),
        password_hash="",
        role=role,
    )
    same_or_look_alike = or_(
        User.username_key == user.username_key,
        User.username_skeleton == user.username_skeleton,
    )
    if session.scalar(select(User.id).where(same_or_look_alike)):
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
    if user.disabled:
        return None  # the same answer as a wrong password: no hint the account exists
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def check_password(user: User, password: str) -> bool:
    """True when `password` is the trainee's own (asked again before export and deletion)."""
    return len(password) <= MAX_LENGTH and verify_password(user.password_hash, password)


def _token_hash(token: str) -> str:
    """What the database keeps of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, lifetime: timedelta, remembered: bool) -> str:
    """Open a server-side session for `user` and return its new token (for the cookie)."""
    now = utcnow()
    # Expired sessions of this trainee go now: no job is needed to clear them.
    session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at < now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            expires_at=now + lifetime,
            last_seen_at=now,
            remembered=remembered,
        )
    )
    user.session_token = token
    return token


def live_session(session: Session, token: str, idle: timedelta) -> UserSession | None:
    """The session a token opens, unless it expired, sat idle too long or its account is off."""
    now = utcnow()
    return session.scalar(
        select(UserSession)
        .join(User, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == _token_hash(token),
            UserSession.expires_at > now,
            or_(UserSession.remembered, UserSession.last_seen_at > now - idle),
            User.disabled.is_(False),
        )
    )


def user_for_token(session: Session, token: str, idle: timedelta) -> User | None:
    """The trainee a live session token belongs to, or None once it ended or expired."""
    live = live_session(session, token, idle)
    if live is None:
        return None
    user = session.get(User, live.user_id)
    user.session_token = token
    return user


def touch_session(session: Session, token: str, every: timedelta) -> bool:
    """Note that the session is in use (at most once per `every`); True when it wrote."""
    now = utcnow()
    result = session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _token_hash(token), UserSession.last_seen_at < now - every)
        .values(last_seen_at=now)
    )
    return result.rowcount > 0


def end_session(session: Session, token: str | None) -> None:
    """End one session server-side: its cookie, even copied elsewhere, stops working."""
    if token:
        session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


def end_other_sessions(session: Session, user: User, keep_token: str | None) -> None:
    """Sign the trainee out everywhere except this browser (after a password change)."""
    others = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        others = others.where(UserSession.token_hash != _token_hash(keep_token))
    session.execute(others)


def change_password(session: Session, user: User, new_password: str) -> None:
    """Set a new password; every other signed-in browser is signed out."""
    user.password_hash = hash_password(new_password)
    end_other_sessions(session, user, user.session_token)


def set_disabled(session: Session, username: str, disabled: bool) -> User:
    """Switch an account off (its sessions end at once) or back on; raises NoSuchUser."""
    user = find_user(session, username)
    if user is None:
        raise NoSuchUser(username)
    user.disabled = disabled
    if disabled:
        end_other_sessions(session, user, None)
    return user


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
