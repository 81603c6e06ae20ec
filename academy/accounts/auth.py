"""Flask-Login wiring: who is signed in, found from the session token in their cookie."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_login import LoginManager, login_user

from academy.accounts import operations
from academy.db import db
from academy.models import User

login_manager = LoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = None  # the sign-in page says what it is for
# Flask-Login's protection stores a hash of the address in the cookie, and mobile networks change
# address mid-session; the server-side session (ended at sign-out) is the protection instead.
login_manager.session_protection = None


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The signed-in trainee, while their server-side session lives."""
    return operations.user_for_token(db.session, token)


def sign_in(user: User, remember: bool) -> None:
    """Start a new server-side session and put its token in the cookie."""
    config = current_app.config
    lifetime = (
        timedelta(days=config["ACADEMY_REMEMBER_DAYS"])
        if remember
        else timedelta(hours=config["ACADEMY_SESSION_HOURS"])
    )
    operations.start_session(db.session, user, lifetime)
    login_user(user, remember=remember, duration=lifetime)
