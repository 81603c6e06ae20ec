"""Database models: published courses, modules, their versions and media; trainees' accounts."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Lowercase letters and digits that cannot be misread for one another when typed from paper.
PUBLIC_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_public_id() -> str:
    """A short random id for URLs: it says nothing about the topic of the page."""
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(8))


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class with constraint names that Alembic can find again on every database."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Course(Base):
    """A course as last synced from `courses/<course>/course.yaml`."""

    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)  # the stable id authors write
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    # False once the course has left the repository; kept so progress is never orphaned.
    listed: Mapped[bool] = mapped_column(default=True)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position"
    )


class Module(Base):
    """A module, identified by the stable id in its front matter, across all its versions."""

    __tablename__ = "module"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    position: Mapped[int] = mapped_column(default=0)
    listed: Mapped[bool] = mapped_column(default=True)
    # The version the repository holds now: what a trainee opening the module reads.
    current_version: Mapped[str] = mapped_column(String(20))

    course: Mapped[Course] = relationship(back_populates="modules")
    versions: Mapped[list[ModuleVersion]] = relationship(
        back_populates="module", order_by="ModuleVersion.published_at"
    )


class ModuleVersion(Base):
    """One published version of a module; never changed once a trainee may have read it."""

    __tablename__ = "module_version"
    __table_args__ = (UniqueConstraint("module_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    version: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int]
    objectives: Mapped[list[str]] = mapped_column(JSON)
    changes: Mapped[list[dict]] = mapped_column(JSON)
    sources: Mapped[list[str]] = mapped_column(JSON)
    legal_review: Mapped[str] = mapped_column(String(20), default="pending")
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    module: Mapped[Module] = relationship(back_populates="versions")
    texts: Mapped[list[ModuleText]] = relationship(
        back_populates="module_version", cascade="all, delete-orphan"
    )

    def text(self, languages: list[str]) -> ModuleText:
        """The text in the first of `languages` this version has, else the original."""
        by_language = {text.language: text for text in self.texts}
        for language in languages:
            if language in by_language:
                return by_language[language]
        return next(t for t in self.texts if t.status == "original")


class ModuleText(Base):
    """A module version's lesson in one language, rendered to HTML at sync time."""

    __tablename__ = "module_text"
    __table_args__ = (UniqueConstraint("module_version_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_version.id"))
    language: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    objectives: Mapped[list[str]] = mapped_column(JSON)
    html: Mapped[str] = mapped_column(Text)
    # "original" for lesson.md, else the translation's state: "draft" or "reviewed".
    status: Mapped[str] = mapped_column(String(20), default="original")
    translation_of: Mapped[str | None] = mapped_column(String(20))
    # The quiz in this language (academy.content.quiz.Quiz as plain data), answer key included:
    # it never leaves the server before an answer is submitted.
    quiz: Mapped[dict | None] = mapped_column(JSON)
    # The facilitator guide in this language (academy.content.guide.Guide as plain data).
    guide: Mapped[dict | None] = mapped_column(JSON)
    # handout.md rendered to HTML: the page a trainee takes home.
    handout_html: Mapped[str | None] = mapped_column(Text)
    # The prompt of each `::: activity share` block, in order (a cohort answers them together).
    shared_activities: Mapped[list[str] | None] = mapped_column(JSON)

    module_version: Mapped[ModuleVersion] = relationship(back_populates="texts")


class Publication(Base):
    """One row: a number every sync that changes anything raises, so caches know to refresh."""

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(default=0)


class MediaFile(Base):
    """An image used by a lesson, stored so that every worker serves the same bytes."""

    __tablename__ = "media_file"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    mime: Mapped[str] = mapped_column(String(50))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class User(UserMixin, Base):
    """A pseudonymous account: a username and a password hash, nothing that names a person."""

    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))  # as typed, after NFKC normalisation
    # Case-folded, so "Rose", "ROSE" and "ｒｏｓｅ" are one account and cannot impersonate it.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    # What the name looks like (Cyrillic "о" read as Latin "o"): a new name may not look like one
    # in use, so no one can pose as another trainee or a facilitator.
    username_skeleton: Mapped[str | None] = mapped_column(String(60), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="trainee")
    # The interface language the trainee chose, so it follows them to another phone.
    language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set by an admin: the account cannot sign in, and its sessions stop on the next request.
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)

    # The token of the signed-in session this object was loaded for (not stored): what
    # Flask-Login keeps in the cookie, so that ending the session server-side signs it out.
    session_token = None

    def get_id(self) -> str | None:
        """The session token, not the user id: a copied cookie dies with its session."""
        return self.session_token

    @property
    def has_password(self) -> bool:
        """False for an account a learning platform or host site signs in (no password here)."""
        return not self.password_hash.startswith("!")  # accounts.passwords.UNUSABLE_PASSWORD


class UserSession(Base):
    """One signed-in browser; deleting the row signs that browser out."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only a hash: someone reading the database cannot use it to sign in as a trainee.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # The absolute end: however active the trainee is, they sign in again after this.
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The last request seen (to the minute): a phone left alone signs itself out.
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # "Keep me signed in" (only where the operator allows it): no idle timeout.
    remembered: Mapped[bool] = mapped_column(Boolean, default=False)


class QuizAttempt(Base):
    """One submitted quiz, marked against the module version the trainee was shown."""

    __tablename__ = "quiz_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_version.id"))
    language: Mapped[str] = mapped_column(String(16))
    # The one-time token of the form it came from: a second submission of the same form
    # (a double tap, a resend) hits this constraint instead of storing a second attempt.
    form_token: Mapped[str] = mapped_column(String(64), unique=True)
    # Per question: the chosen option numbers, or the typed text.
    answers: Mapped[list] = mapped_column(JSON)
    credits: Mapped[list[float]] = mapped_column(JSON)
    percent: Mapped[int]
    passed: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    module_version: Mapped[ModuleVersion] = relationship()


class ModuleProgress(Base):
    """How far one trainee got with one module, across its versions."""

    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    opened_version_id: Mapped[int] = mapped_column(ForeignKey("module_version.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    best_percent: Mapped[int | None]
    # The latest version whose quiz the trainee passed; an older pass stays until a newer one.
    passed_version_id: Mapped[int | None] = mapped_column(ForeignKey("module_version.id"))
    passed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    opened_version: Mapped[ModuleVersion] = relationship(foreign_keys=[opened_version_id])
    passed_version: Mapped[ModuleVersion | None] = relationship(foreign_keys=[passed_version_id])


class PackDownload(Base):
    """The version of a module whose session pack a facilitator last downloaded."""

    __tablename__ = "pack_download"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_version.id"))
    downloaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    module_version: Mapped[ModuleVersion] = relationship()


class Cohort(Base):
    """A group of trainees a facilitator follows through one course."""

    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date | None] = mapped_column(Date)
    # Read aloud or written on a board: see academy.facilitate.codes.
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    course: Mapped[Course] = relationship()
    facilitator: Mapped[User] = relationship()
    members: Mapped[list[CohortMember]] = relationship(
        back_populates="cohort", order_by="CohortMember.joined_at"
    )


class CohortMember(Base):
    """A trainee in a cohort; the facilitator sees only their username."""

    __tablename__ = "cohort_member"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class SharedAnswer(Base):
    """A trainee's short answer to a shared activity, seen by their cohort only."""

    __tablename__ = "shared_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    activity: Mapped[int]  # 1 for the module's first shared activity, and so on
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the facilitator hides it; its author still sees it, with a note saying so.
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class SessionHeld(Base):
    """An in-person session a facilitator ran: when, which module, how many came (a count)."""

    __tablename__ = "session_held"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    held_on: Mapped[date] = mapped_column(Date)
    present: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    module: Mapped[Module] = relationship()


class LtiPlatform(Base):
    """A learning platform (Moodle, Canvas) an admin registered to launch Academy over LTI 1.3."""

    __tablename__ = "lti_platform"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    auth_login_url: Mapped[str] = mapped_column(Text)
    auth_token_url: Mapped[str] = mapped_column(Text)
    keyset_url: Mapped[str] = mapped_column(Text)
    # Academy's own RSA key pair for this platform (PEM), made at registration: the private key
    # signs deep-linking answers and grade requests, so only the database may ever hold it.
    private_key: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    deployments: Mapped[list[LtiDeployment]] = relationship(
        back_populates="platform", order_by="LtiDeployment.id"
    )


class LtiDeployment(Base):
    """One installation of Academy on a platform (a platform may have several)."""

    __tablename__ = "lti_deployment"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(String(255))

    platform: Mapped[LtiPlatform] = relationship(back_populates="deployments")


class LtiAccount(Base):
    """The link from a platform's opaque user id (`sub`) to an Academy account; nothing else."""

    __tablename__ = "lti_account"
    __table_args__ = (UniqueConstraint("platform_id", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platform.id"))
    sub: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )

    platform: Mapped[LtiPlatform] = relationship()


class LtiGradeTarget(Base):
    """Where a launched learner's score for a module goes: the platform's gradebook column."""

    __tablename__ = "lti_grade_target"
    __table_args__ = (UniqueConstraint("account_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("lti_account.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"))
    # The line item URL and the AGS scopes from the latest launch of this module.
    lineitem_url: Mapped[str] = mapped_column(Text)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    account: Mapped[LtiAccount] = relationship()


class LtiScore(Base):
    """A quiz attempt's score owed to a platform: queued before sending, marked once sent."""

    __tablename__ = "lti_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a resent quiz form (the same attempt) is never scored twice.
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempt.id", ondelete="CASCADE"), unique=True
    )
    target_id: Mapped[int] = mapped_column(ForeignKey("lti_grade_target.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    attempt: Mapped[QuizAttempt] = relationship()
    target: Mapped[LtiGradeTarget] = relationship()


class LtiLaunchData(Base):
    """pylti1p3's short-lived launch state (nonces, deep-linking requests), shared by workers."""

    __tablename__ = "lti_launch_data"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
