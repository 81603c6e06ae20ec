"""LTI writes and look-ups: platforms, linked accounts, grade targets. Callers commit."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from academy.accounts.passwords import UNUSABLE_PASSWORD
from academy.accounts.usernames import username_key, username_skeleton
from academy.lti.keys import new_key_pair
from academy.models import (
    PUBLIC_ID_ALPHABET,
    LtiAccount,
    LtiDeployment,
    LtiGradeTarget,
    LtiPlatform,
    Module,
    User,
    utcnow,
)

# The scope a platform grants for sending scores (IMS Assignment and Grade Services).
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@dataclass(frozen=True)
class PlatformDetails:
    """What an admin copies from the platform's tool registration into Academy."""

    issuer: str
    client_id: str
    deployment_id: str
    auth_login_url: str
    auth_token_url: str
    keyset_url: str


class AlreadyRegistered(ValueError):
    """The platform already has this deployment registered."""


def is_web_url(value: str) -> bool:
    """True for an http(s) address with a host: what a platform endpoint must be."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def register_platform(session: Session, details: PlatformDetails) -> LtiPlatform:
    """Register a platform with a new key pair of Academy's; a known one gains the deployment.

    A platform is known by its issuer and client id; registering it again with another
    deployment id adds that deployment and keeps its addresses and key as they were.
    """
    platform = find_platform(session, details.issuer, details.client_id)
    if platform is None:
        private_key, public_key = new_key_pair()
        platform = LtiPlatform(
            issuer=details.issuer,
            client_id=details.client_id,
            auth_login_url=details.auth_login_url,
            auth_token_url=details.auth_token_url,
            keyset_url=details.keyset_url,
            private_key=private_key,
            public_key=public_key,
        )
        session.add(platform)
        session.flush()
    elif find_deployment(session, platform, details.deployment_id):
        raise AlreadyRegistered(details.deployment_id)
    session.add(LtiDeployment(platform_id=platform.id, deployment_id=details.deployment_id))
    session.flush()
    return platform


def find_platform(session: Session, issuer: str, client_id: str | None) -> LtiPlatform | None:
    """The platform with this issuer and client id; without a client id, the issuer's only one."""
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id is not None:
        return session.scalar(query.where(LtiPlatform.client_id == client_id))
    found = session.scalars(query.limit(2)).all()
    return found[0] if len(found) == 1 else None


def find_deployment(session: Session, platform: LtiPlatform, deployment_id: str) -> bool:
    """True when the platform registered this deployment of Academy."""
    return (
        session.scalar(
            select(LtiDeployment.id).where(
                LtiDeployment.platform_id == platform.id,
                LtiDeployment.deployment_id == deployment_id,
            )
        )
        is not None
    )


def platforms(session: Session) -> list[LtiPlatform]:
    """Every registered platform, oldest first."""
    return list(session.scalars(select(LtiPlatform).order_by(LtiPlatform.id)))


def linked_account(session: Session, platform: LtiPlatform, sub: str) -> User:
    """The account linked to the platform's user `sub`, made on their first launch.

    A new account is a trainee with a made-up name and no usable password; it knows the
    person only by the platform's opaque `sub`, never by a name, email or picture.
    """
    account = _account_for(session, platform, sub)
    if account is not None:
        return session.get(User, account.user_id)
    code = "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(10))
    name = f"lti-{code}"
    user = User(
        username=name,
        # Keyed like any name, so `academy user role` and `disable` find it; no one can sign up
        # as it, or as a look-alike of it, and with no password no one can sign in as it.
        username_key=username_key(name),
        username_skeleton=username_skeleton(name),
        password_hash=UNUSABLE_PASSWORD,
        role="trainee",  # never more from a launch, whatever roles the platform sends
    )
    try:
        with session.begin_nested():  # two first launches at once: (platform, sub) decides
            session.add(user)
            session.flush()
            session.add(LtiAccount(platform_id=platform.id, sub=sub, user_id=user.id))
    except IntegrityError:
        return session.get(User, _account_for(session, platform, sub).user_id)
    return user


def _account_for(session: Session, platform: LtiPlatform, sub: str) -> LtiAccount | None:
    """The link of the platform's user `sub`, if they launched Academy before."""
    return session.scalar(
        select(LtiAccount).where(LtiAccount.platform_id == platform.id, LtiAccount.sub == sub)
    )


def account_of(session: Session, user: User) -> LtiAccount | None:
    """The platform link of an account made by a launch, or None for any other account."""
    return session.scalar(select(LtiAccount).where(LtiAccount.user_id == user.id))


def remember_grade_target(
    session: Session, user: User, module: Module, lineitem_url: str, scopes: list[str]
) -> None:
    """Note where this learner's scores for `module` go; the latest launch's line item wins."""
    account = account_of(session, user)
    target = session.scalar(
        select(LtiGradeTarget).where(
            LtiGradeTarget.account_id == account.id, LtiGradeTarget.module_id == module.id
        )
    )
    if target is None:
        target = LtiGradeTarget(account_id=account.id, module_id=module.id)
        session.add(target)
    target.lineitem_url = lineitem_url
    target.scopes = list(scopes)
    target.updated_at = utcnow()
