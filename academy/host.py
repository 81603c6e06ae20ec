"""Academy inside a host site: the host's signed-in users become Academy trainees.

The host passes `user_loader` to `Academy(app, user_loader=...)`: a function returning a
`HostUser` for whoever is signed in to the host, or None. Academy keeps one linked account
per host user, known only by a hash of the host's id: no name, email or password of the host's
is ever stored here.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, request
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from academy.accounts.access import ACADEMY_BLUEPRINTS
from academy.accounts.operations import ROLES, delete_account
from academy.accounts.passwords import UNUSABLE_PASSWORD
from academy.db import db
from academy.models import User

# Prefix of a linked account's username key: ":" is never in a username, so no one can sign
# up as, or pose as, a host user.
HOST_KEY_PREFIX = "host:"


@dataclass(frozen=True)
class HostUser:
    """Who is signed in to the host: a stable, opaque id and the role Academy should give."""

    id: str
    role: str = "trainee"

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")


UserLoader = Callable[[], HostUser | None]


def host_key(host_id: str) -> str:
    """The username key of the account linked to a host user (a hash: the id stays the host's)."""
    digest = hashlib.sha256(f"academy-host-user:{host_id}".encode()).hexdigest()
    return HOST_KEY_PREFIX + digest[: 30 - len(HOST_KEY_PREFIX)]


def linked_account(session: Session, host_user: HostUser) -> User:
    """The Academy account for this host user, made on first sight; its role follows the host."""
    key = host_key(host_user.id)
    user = session.scalar(select(User).where(User.username_key == key))
    if user is None:
        # A neutral display name: the host's own name for the person is not copied here.
        user = User(
            username=f"member-{secrets.token_hex(4)}",
            username_key=key,
            password_hash=UNUSABLE_PASSWORD,  # no password opens it: the host signs them in
            role=host_user.role,
        )
        session.add(user)
        try:
            session.commit()
        except IntegrityError:  # two first requests at once: the other one made it
            session.rollback()
            return session.scalar(select(User).where(User.username_key == key))
    elif user.role != host_user.role:
        user.role = host_user.role
        session.commit()
    return user


def use_host_user() -> None:
    """Before each Academy request: make the host's signed-in user Academy's current user."""
    loader = current_app.extensions["academy"].user_loader
    if loader is None or request.blueprint not in ACADEMY_BLUEPRINTS:
        return
    host_user = loader()
    # Flask-Login reads the current user from g first: setting it here scopes the linked
    # account to Academy's pages, and the host's own pages keep the host's user object.
    g._login_user = (
        linked_account(db.session, host_user) if host_user is not None else AnonymousUserMixin()
    )


def forget_host_user(host_id: str) -> bool:
    """Delete everything Academy keeps for a host user (call it when the host deletes them)."""
    user = db.session.scalar(select(User).where(User.username_key == host_key(host_id)))
    if user is None:
        return False
    delete_account(db.session, user)
    db.session.commit()
    return True
